import { useState } from "react";
import { evaluate } from "mathjs";

export function FormulaCell({ value, onChange }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);

  let display = value;
  if (typeof value === "string" && value.startsWith("=")) {
    try {
      display = String(evaluate(value.slice(1)));
    } catch {
      display = "#ERROR";
    }
  }

  return editing ? (
    <input
      autoFocus
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        setEditing(false);
        onChange(draft);
      }}
    />
  ) : (
    <span onDoubleClick={() => setEditing(true)}>{display}</span>
  );
}
