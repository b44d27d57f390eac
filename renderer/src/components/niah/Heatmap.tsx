import { forwardRef, useId } from 'react';
import type { NiahCell } from '../../../../app/contract.js';
import { EMPTY_FILL, GRID_LINE, INK, MUTED_INK, PAPER, scoreColor } from './colors.js';
import { formatLength } from './spec.js';

export interface HeatmapTexts {
  title: string;
  subtitle: string;
  xAxis: string;
  yAxis: string;
  legend: string;
  /** The tooltip and accessible name of a cell. */
  cell(cell: NiahCell): string;
}

interface Props {
  cells: NiahCell[];
  lengths: number[];
  depths: number[];
  texts: HeatmapTexts;
  selected?: { length: number; depth: number } | null;
  onCell?(length: number, depth: number): void;
}

// Plain presentation attributes only (no CSS, no classes that style it): the element is serialized
// as it is for the SVG and PNG exports.
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";
const LEFT = 70;
const TOP = 58;
const RIGHT = 86;
const BOTTOM = 58;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const pct = (depth: number) => `${Math.round(depth * 1000) / 10}%`;

/**
 * The Qwen2 report's Figure 1 for one run: context length across, the fact's depth down (0% at the
 * top), each cell coloured by its share of correct answers with that share written in it.
 */
export const Heatmap = forwardRef<SVGSVGElement, Props>(function Heatmap({ cells, lengths, depths, texts, selected, onCell }, ref) {
  const gradientId = `niah-scale-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  // At least 360 px of grid, so that the title and the settings line above it fit.
  const cellW = Math.max(clamp(660 / Math.max(1, lengths.length), 26, 96), 360 / Math.max(1, lengths.length));
  const cellH = clamp(440 / Math.max(1, depths.length), 10, 30);
  const gridW = cellW * lengths.length;
  const gridH = cellH * depths.length;
  const width = LEFT + gridW + RIGHT;
  const height = TOP + gridH + BOTTOM;
  const byKey = new Map(cells.map((c) => [`${c.length}|${c.depth}`, c]));
  const showScores = cellH >= 16 && cellW >= 28;
  const everyDepth = depths.length <= 21;
  const rotateX = cellW < 40;
  const legendX = LEFT + gridW + 22;

  return (
    <svg
      ref={ref}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      fontFamily={FONT}
      className="niah-heatmap"
      data-testid="niah-heatmap"
      role="group"
      aria-label={`${texts.title} ${texts.subtitle}`}
    >
      <rect x={0} y={0} width={width} height={height} rx={8} fill={PAPER} />
      <text x={LEFT} y={22} fontSize={14} fontWeight={600} fill={INK}>
        {texts.title}
      </text>
      <text x={LEFT} y={40} fontSize={11.5} fill={MUTED_INK}>
        {texts.subtitle}
      </text>
      <defs>
        <linearGradient id={gradientId} x1="0" y1="1" x2="0" y2="0">
          {[0, 0.25, 0.5, 0.75, 1].map((s) => (
            <stop key={s} offset={s} stopColor={scoreColor(s)} />
          ))}
        </linearGradient>
      </defs>
      {depths.map((depth, row) =>
        lengths.map((length, col) => {
          const cell = byKey.get(`${length}|${depth}`) ?? null;
          const answered = cell !== null && cell.total > 0;
          const score = answered ? cell.correct / cell.total : 0;
          const x = LEFT + col * cellW;
          const y = TOP + row * cellH;
          const isSelected = selected?.length === length && selected.depth === depth;
          const label = cell ? texts.cell(cell) : '';
          return (
            <g
              key={`${length}|${depth}`}
              data-testid="niah-cell"
              data-length={length}
              data-depth={depth}
              data-correct={cell?.correct ?? 0}
              data-total={cell?.total ?? 0}
              data-selected={isSelected ? 'true' : undefined}
              role={onCell ? 'button' : undefined}
              tabIndex={onCell ? 0 : undefined}
              aria-label={label}
              aria-pressed={onCell ? isSelected : undefined}
              cursor={onCell ? 'pointer' : undefined}
              onClick={onCell ? () => onCell(length, depth) : undefined}
              onKeyDown={
                onCell
                  ? (e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        onCell(length, depth);
                      }
                    }
                  : undefined
              }
            >
              <title>{label}</title>
              <rect x={x} y={y} width={cellW} height={cellH} fill={answered ? scoreColor(score) : EMPTY_FILL} stroke={GRID_LINE} strokeWidth={1} />
              {showScores && answered && (
                <text x={x + cellW / 2} y={y + cellH / 2 + 4} fontSize={11} textAnchor="middle" fill={INK}>
                  {Math.round(score * 100)}
                </text>
              )}
            </g>
          );
        }),
      )}
      {selected && lengths.includes(selected.length) && depths.includes(selected.depth) && (
        <rect
          data-export="omit"
          x={LEFT + lengths.indexOf(selected.length) * cellW + 1}
          y={TOP + depths.indexOf(selected.depth) * cellH + 1}
          width={cellW - 2}
          height={cellH - 2}
          fill="none"
          stroke={INK}
          strokeWidth={2}
          pointerEvents="none"
        />
      )}
      {depths.map((depth, row) =>
        everyDepth || Math.round(depth * 100) % 10 === 0 ? (
          <text key={depth} x={LEFT - 6} y={TOP + row * cellH + cellH / 2 + 4} fontSize={10.5} textAnchor="end" fill={INK}>
            {pct(depth)}
          </text>
        ) : null,
      )}
      {lengths.map((length, col) => {
        const x = LEFT + col * cellW + cellW / 2;
        const y = TOP + gridH + 15;
        return (
          <text key={length} x={x} y={y} fontSize={10.5} textAnchor={rotateX ? 'end' : 'middle'} fill={INK} transform={rotateX ? `rotate(-40 ${x} ${y})` : undefined}>
            {formatLength(length)}
          </text>
        );
      })}
      <text x={LEFT + gridW / 2} y={height - 10} fontSize={11.5} textAnchor="middle" fill={MUTED_INK}>
        {texts.xAxis}
      </text>
      <text x={16} y={TOP + gridH / 2} fontSize={11.5} textAnchor="middle" fill={MUTED_INK} transform={`rotate(-90 16 ${TOP + gridH / 2})`}>
        {texts.yAxis}
      </text>
      <rect x={legendX} y={TOP} width={12} height={gridH} fill={`url(#${gradientId})`} />
      {[1, 0.5, 0].map((s) => (
        <text key={s} x={legendX + 17} y={TOP + (1 - s) * gridH + (s === 1 ? 9 : s === 0 ? 0 : 4)} fontSize={10} fill={INK}>
          {Math.round(s * 100)}%
        </text>
      ))}
      <text x={legendX + 6} y={TOP - 8} fontSize={10} textAnchor="middle" fill={MUTED_INK}>
        {texts.legend}
      </text>
    </svg>
  );
});
