'use client';

import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AlertMark, BandPoint } from '@/components/dashboard/chart-data';

const clock = (t: number) => new Date(t).toISOString().slice(11, 16);

/** Complaints per minute against the expected band, with alerts marked where they started. */
export function VolumeChart({ points, alerts, label }: { points: BandPoint[]; alerts: AlertMark[]; label: string }) {
  return (
    <div role="img" aria-label={label} style={{ width: '100%', height: 260 }}>
      <ResponsiveContainer>
        <ComposedChart data={points} margin={{ top: 18, right: 16, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#e6e8ee" vertical={false} />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} scale="time" tickFormatter={clock} minTickGap={40} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip labelFormatter={(t) => `${clock(Number(t))} UTC`} formatter={(value, name) => (Array.isArray(value) ? [`${value[0]}–${value[1]}`, name] : [value, name])} />
          <Legend verticalAlign="top" height={24} iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          <Area dataKey="band" name="Expected range" stroke="none" fill="#9db4f0" fillOpacity={0.35} isAnimationActive={false} connectNulls />
          <Line dataKey="expected" name="Expected" stroke="#5470c6" strokeDasharray="4 3" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls />
          <Line dataKey="observed" name="Complaints / min" stroke="#d92d20" dot={false} strokeWidth={2} isAnimationActive={false} />
          {alerts.map((a) => (
            <ReferenceLine key={`${a.kind}-${a.t}-${a.label}`} x={a.t} stroke="#b42318" strokeDasharray="2 2" label={{ value: a.label, position: 'insideTopRight', fill: '#b42318', fontSize: 11 }} />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
