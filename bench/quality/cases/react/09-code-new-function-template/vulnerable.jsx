import { useMemo } from "react";

export function TemplatePreview({ template, variables }) {
  const rendered = useMemo(() => {
    const names = Object.keys(variables);
    const render = new Function(...names, "return `" + template + "`;");
    return render(...names.map((n) => variables[n]));
  }, [template, variables]);

  return <pre className="template-preview">{rendered}</pre>;
}
