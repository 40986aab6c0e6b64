import { searchDocs } from "@/lib/search";

type Props = { searchParams: Promise<{ q?: string }> };

export default async function SearchPage({ searchParams }: Props) {
  const { q = "" } = await searchParams;
  const results = await searchDocs(q);
  const heading = `Results for <em>${q}</em>`;

  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="text-2xl font-semibold" dangerouslySetInnerHTML={{ __html: heading }} />
      <ul className="mt-4 space-y-2">
        {results.map((r) => (
          <li key={r.id}>
            <a href={`/docs/${r.slug}`}>{r.title}</a>
          </li>
        ))}
      </ul>
    </main>
  );
}
