"use server";

import { prisma } from "@/lib/prisma";
import { auth } from "@/auth";

export type LeaderboardRow = { userId: string; name: string; score: number };

export async function getLeaderboard(season: string, country: string): Promise<LeaderboardRow[]> {
  const session = await auth();
  if (!session?.user) throw new Error("Unauthorized");

  return prisma.$queryRaw<LeaderboardRow[]>`
    SELECT u.id AS "userId", u.name, SUM(s.points)::int AS score
    FROM "Score" s JOIN "User" u ON u.id = s."userId"
    WHERE s.season = ${season} AND u.country = ${country}
    GROUP BY u.id ORDER BY score DESC LIMIT 100`;
}
