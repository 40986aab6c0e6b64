import { useMemo } from "react";
import { Parser } from "expr-eval";

const parser = new Parser({ operators: { assignment: false, fndef: false } });

export type CellMap = Record<string, string>;

interface FormulaCellProps {
  cellId: string;
  cells: CellMap; // loaded from a shared sheet, edited by collaborators
}

const CELL_REF = /\b([A-Z])([0-9]{1,3})\b/g;

function resolveReferences(formula: string, cells: CellMap): string {
  return formula.replace(CELL_REF, (_, col: string, row: string) => {
    const raw = cells[`${col}${row}`] ?? "0";
    const n = Number(raw);
    return Number.isFinite(n) ? String(n) : "0";
  });
}

function evaluateFormula(formula: string, cells: CellMap): number | string {
  const expression = resolveReferences(formula.slice(1), cells);
  try {
    return parser.evaluate(expression);
  } catch {
    return "#ERROR";
  }
}

export function FormulaCell({ cellId, cells }: FormulaCellProps) {
  const raw = cells[cellId] ?? "";
  const value = useMemo(
    () => (raw.startsWith("=") ? evaluateFormula(raw, cells) : raw),
    [raw, cells],
  );
  return (
    <td data-cell={cellId} className="sheet-cell">
      {String(value)}
    </td>
  );
}
