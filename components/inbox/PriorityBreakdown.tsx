import { factorLabels } from './labels';

type Item = { factor: string; points: number; reason: string };

/** The score in a colored square: red from 70, amber from 45. */
export function PriorityScore({ score }: { score: number }) {
  const tone = score >= 70 ? 'high' : score >= 45 ? 'medium' : 'low';
  return (
    <span className={`score score-${tone}`} data-testid="priority-score" aria-label={`Priority ${score} of 100`}>
      {score}
    </span>
  );
}

/** Why a ticket ranks where it does: the factors that gave points, largest first, each with its reason. */
export function PriorityReasons({ breakdown, limit }: { breakdown: Item[]; limit?: number }) {
  const sorted = [...breakdown].filter((b) => b.points !== 0).sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const shown = limit ? sorted.slice(0, limit) : sorted;
  if (shown.length === 0) return <span className="muted">No factor gave points.</span>;
  return (
    <ul className="reasons" data-testid="priority-breakdown">
      {shown.map((item) => (
        <li key={item.factor}>
          <span className={`points ${item.points < 0 ? 'points-negative' : ''}`}>
            {item.points > 0 ? '+' : ''}
            {Math.round(item.points)}
          </span>{' '}
          <strong>{factorLabels[item.factor] ?? item.factor}</strong> <span className="reason">{item.reason}</span>
        </li>
      ))}
    </ul>
  );
}

/** The full breakdown as a table, for the ticket page. */
export function PriorityTable({ breakdown, score }: { breakdown: Item[]; score: number }) {
  return (
    <table className="table" aria-label="Priority breakdown" data-testid="priority-table">
      <thead>
        <tr>
          <th>Factor</th>
          <th style={{ textAlign: 'right' }}>Points</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        {breakdown.map((item) => (
          <tr key={item.factor}>
            <td>{factorLabels[item.factor] ?? item.factor}</td>
            <td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{item.points.toFixed(1)}</td>
            <td>{item.reason}</td>
          </tr>
        ))}
        <tr>
          <td>
            <strong>Priority</strong>
          </td>
          <td style={{ textAlign: 'right' }}>
            <strong>{score}</strong>
          </td>
          <td className="muted">of 100; weights are set by an admin under Settings.</td>
        </tr>
      </tbody>
    </table>
  );
}
