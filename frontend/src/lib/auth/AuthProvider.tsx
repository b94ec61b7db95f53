import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { track } from '@/lib/analytics';
import { api, unwrap } from '@/lib/api/client';
import {
  clearSession,
  getRefreshToken,
  hasStoredSession,
  onSessionChange,
  getAccessToken,
  setTokens,
} from '@/lib/api/session';
import { useToast } from '@/components/ui/Toast';

export type AuthStatus = 'loading' | 'authenticated' | 'anonymous';

type AuthApi = {
  status: AuthStatus;
  login: (email: string, password: string) => Promise<void>;
  register: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
};

const AuthContext = createContext<AuthApi | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>(() =>
    hasStoredSession() ? 'loading' : 'anonymous',
  );
  const queryClient = useQueryClient();
  const toast = useToast();

  useEffect(() => {
    return onSessionChange((event) => {
      if (event === 'signed-in') {
        setStatus('authenticated');
        return;
      }
      setStatus('anonymous');
      queryClient.clear();
      if (event === 'expired' || event === 'revoked') {
        toast.info('Your session has ended', 'Please log in again to continue.');
      }
    });
  }, [queryClient, toast]);

  useEffect(() => {
    if (status !== 'loading') return;
    let cancelled = false;
    // A stored access token with time left is used as it is: a reload rotates nothing.
    getAccessToken()
      .then((token) => {
        if (!cancelled) setStatus(token ? 'authenticated' : 'anonymous');
      })
      .catch(() => {
        // The API is unreachable: keep the stored session and let each view show its error.
        if (!cancelled) setStatus('authenticated');
      });
    return () => {
      cancelled = true;
    };
  }, [status]);

  const login = useCallback(async (email: string, password: string) => {
    const pair = await unwrap(api.POST('/auth/login', { body: { email, password } }));
    setTokens(pair);
  }, []);

  const register = useCallback(
    async (email: string, password: string) => {
      await unwrap(api.POST('/auth/register', { body: { email, password } }));
      track('signed_up', {});
      await login(email, password);
    },
    [login],
  );

  const logout = useCallback(async () => {
    const token = getRefreshToken();
    if (token) {
      try {
        await unwrap(api.POST('/auth/logout', { body: { refresh_token: token } }));
      } catch {
        // Signing out locally is what matters; the token expires on its own.
      }
    }
    clearSession('signed-out');
  }, []);

  const value = useMemo(
    () => ({ status, login, register, logout }),
    [status, login, register, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside AuthProvider');
  return ctx;
}
