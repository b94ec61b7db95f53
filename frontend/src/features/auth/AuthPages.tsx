import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Logo } from '@/components/layout/Logo';
import { ThemeToggle } from '@/components/layout/ThemeToggle';
import { usePageTitle } from '@/lib/usePageTitle';
import { useAuth } from '@/lib/auth/AuthProvider';
import { AuthForm } from './AuthForm';

function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex items-center justify-between px-6 py-4">
        <Logo />
        <ThemeToggle />
      </header>
      <main className="flex flex-1 items-center justify-center px-6 pb-16">{children}</main>
    </div>
  );
}

function useRedirectTarget() {
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  return from && from !== '/login' && from !== '/register' ? from : '/studio';
}

export function LoginPage() {
  usePageTitle('Log in');
  const { status, login } = useAuth();
  const navigate = useNavigate();
  const target = useRedirectTarget();
  if (status === 'authenticated') return <Navigate to={target} replace />;
  return (
    <AuthLayout>
      <AuthForm
        mode="login"
        onSubmit={async (email, password) => {
          await login(email, password);
          navigate(target, { replace: true });
        }}
      />
    </AuthLayout>
  );
}

export function RegisterPage() {
  usePageTitle('Create account');
  const { status, register } = useAuth();
  const navigate = useNavigate();
  if (status === 'authenticated') return <Navigate to="/studio" replace />;
  return (
    <AuthLayout>
      <AuthForm
        mode="register"
        onSubmit={async (email, password) => {
          await register(email, password);
          navigate('/studio', { replace: true });
        }}
      />
    </AuthLayout>
  );
}
