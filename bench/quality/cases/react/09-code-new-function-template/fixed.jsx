import { useMemo } from "react";

export function TemplatePreview({ template, variables }) {
  const rendered = useMemo(() => {
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) =>
      Object.hasOwn(variables, name) ? String(variables[name]) : ""
    );
  }, [template, variables]);

  return <pre className="template-preview">{rendered}</pre>;
}
