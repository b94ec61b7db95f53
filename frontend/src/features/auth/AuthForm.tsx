import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import {
  validateCredentials,
  validateEmail,
  validatePassword,
  type CredentialErrors,
} from './validation';

type Mode = 'login' | 'register';

const copy: Record<
  Mode,
  { title: string; subtitle: string; submit: string; alt: string; altLink: string; altTo: string }
> = {
  login: {
    title: 'Welcome back',
    subtitle: 'Log in to turn one article into posts for every channel.',
    submit: 'Log in',
    alt: 'New to Kyros?',
    altLink: 'Create an account',
    altTo: '/register',
  },
  register: {
    title: 'Create your account',
    subtitle: 'Start repurposing your articles in minutes.',
    submit: 'Create account',
    alt: 'Already have an account?',
    altLink: 'Log in',
    altTo: '/login',
  },
};

export function AuthForm({
  mode,
  onSubmit,
}: {
  mode: Mode;
  onSubmit: (email: string, password: string) => Promise<void>;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<CredentialErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const toast = useToast();
  const text = copy[mode];

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const found = validateCredentials({ email, password });
    setErrors(found);
    if (found.email || found.password) return;
    setSubmitting(true);
    try {
      await onSubmit(email.trim(), password);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : null;
      const fields = apiError?.fieldMap() ?? {};
      const next: CredentialErrors = {};
      if (fields.email) next.email = fields.email;
      if (fields.password) next.password = fields.password;
      setErrors(next);
      if (!next.email && !next.password) {
        const message = apiError?.userMessage ?? 'Something went wrong. Please try again.';
        setFormError(message);
        toast.error(
          mode === 'login' ? 'Could not log in' : 'Could not create the account',
          message,
        );
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div className="w-full max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">{text.title}</h1>
      <p className="mt-1 text-sm text-muted">{text.subtitle}</p>
      <form
        noValidate
        onSubmit={handleSubmit}
        className="mt-6 flex flex-col gap-4"
        aria-label={text.submit}
      >
        {formError && (
          <p
            role="alert"
            className="rounded-lg border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger"
          >
            {formError}
          </p>
        )}
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          onBlur={() => email && setErrors((x) => ({ ...x, email: validateEmail(email) }))}
          error={errors.email}
          data-testid="auth-email"
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          onBlur={() =>
            password && setErrors((x) => ({ ...x, password: validatePassword(password) }))
          }
          error={errors.password}
          hint={mode === 'register' ? 'At least 8 characters.' : undefined}
          data-testid="auth-password"
        />
        <Button type="submit" variant="primary" loading={submitting} data-testid="auth-submit">
          {text.submit}
        </Button>
      </form>
      <p className="mt-6 text-sm text-muted">
        {text.alt}{' '}
        <Link
          to={text.altTo}
          className="font-medium text-accent-text underline-offset-4 hover:underline"
        >
          {text.altLink}
        </Link>
      </p>
    </div>
  );
}
