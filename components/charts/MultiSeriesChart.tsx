'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MultiPoint } from '@/components/dashboard/chart-data';

const palette = ['#d92d20', '#1f4fd8', '#067647', '#9a5b00', '#7a2dc9', '#0e7490', '#be185d', '#4b5563'];
const clock = (t: number) => new Date(t).toISOString().slice(11, 16);

/** Complaints per minute of several series (channels or topics), one line each. */
export function MultiSeriesChart({ points, names, label }: { points: MultiPoint[]; names: string[]; label: string }) {
  if (names.length === 0) return <p className="muted">No complaints in this window.</p>;
  return (
    <div role="img" aria-label={label} style={{ width: '100%', height: 220 }}>
      <ResponsiveContainer>
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e6e8ee" vertical={false} />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} scale="time" tickFormatter={clock} minTickGap={40} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip labelFormatter={(t) => `${clock(Number(t))} UTC`} />
          <Legend verticalAlign="top" height={24} iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          {names.map((name, i) => (
            <Line key={name} dataKey={name} name={name} stroke={palette[i % palette.length]} dot={false} strokeWidth={1.6} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
