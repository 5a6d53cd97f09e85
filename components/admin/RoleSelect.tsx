'use client';

import { useState, useTransition } from 'react';
import { type Role, roles } from '@/db/schema';

type ChangeRole = (memberId: string, role: string) => Promise<{ ok: true; data: { role: string } } | { ok: false; error: string }>;

/** Changes one member's role in place; a refusal (e.g. the last admin) is shown next to it. */
export function RoleSelect({ memberId, name, role, action }: { memberId: string; name: string; role: Role; action: ChangeRole }) {
  const [value, setValue] = useState<string>(role);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <span style={{ display: 'inline-flex', gap: '0.5rem', alignItems: 'center' }}>
      <select
        aria-label={`Role of ${name}`}
        value={value}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value;
          const previous = value;
          setValue(next);
          setError(null);
          startTransition(async () => {
            const result = await action(memberId, next);
            if (!result.ok) {
              setValue(previous);
              setError(result.error);
            }
          });
        }}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {error && (
        <span role="alert" className="alert alert-error" style={{ padding: '0.2rem 0.5rem' }}>
          {error}
        </span>
      )}
    </span>
  );
}
