type Job = { id: string; status: string };

async function recentJobs(): Promise<Job[]> {
  const res = await fetch(`${process.env.API_URL ?? 'http://localhost:8000'}/jobs`, { cache: 'no-store' });
  if (!res.ok) return [];
  return res.json();
}

export default async function Home() {
  const jobs = await recentJobs();
  return (
    <main>
      <h1>Jobs</h1>
      <ul>
        {jobs.map((j) => (
          <li key={j.id}>
            {j.id}: {j.status}
          </li>
        ))}
      </ul>
    </main>
  );
}
