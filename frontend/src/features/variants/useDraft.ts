import { useCallback, useState } from 'react';
import { loadJSON, removeKey, saveJSON } from '@/lib/storage';

/** A text buffer mirrored to localStorage under `key`, so unsaved edits survive a reload. */
export function useDraft(key: string): [string | null, (value: string) => void, () => void] {
  const [draft, setDraftState] = useState<string | null>(() => loadJSON<string>(key));
  const setDraft = useCallback(
    (value: string) => {
      setDraftState(value);
      saveJSON(key, value);
    },
    [key],
  );
  const clear = useCallback(() => {
    setDraftState(null);
    removeKey(key);
  }, [key]);
  return [draft, setDraft, clear];
}
