'use client';
// A client component that keeps a fresh token: useAccessToken fetches one at mount, re-renders
// with each refreshed one (before the old one expires), and stops refreshing when it unmounts.
import { useAccessToken } from 'twilio-access-token/react';

/** The token's claims, for display: a JWT's middle part is base64url JSON. */
function claims(token: string): { exp: number; grants: { identity?: string } } {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
}

export function TokenStatus() {
  const { token, error, loading } = useAccessToken({ url: '/api/token' });
  if (loading) return <p>Fetching a token...</p>;
  if (token === undefined) return <p role="alert">No token: {error instanceof Error ? error.message : 'failed'}</p>;
  const { exp, grants } = claims(token);
  return (
    <p>
      Token for <strong>{grants.identity}</strong>, valid until {new Date(exp * 1000).toLocaleTimeString()}; it is
      refreshed before then.
    </p>
  );
}
