import { Link } from 'react-router';

export function Logo() {
  return (
    <Link to="/" className="inline-flex items-center gap-2 rounded-md font-semibold tracking-tight">
      <span
        aria-hidden="true"
        className="grid size-7 place-items-center rounded-lg bg-gradient-to-br from-indigo-500 to-fuchsia-500 text-sm font-bold text-white"
      >
        K
      </span>
      <span className="text-base">Kyros</span>
    </Link>
  );
}
