"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";

export type ProfileFormState = { ok: boolean; message?: string };

const ProfileUpdate = z.object({
  displayName: z.string().trim().min(1).max(80),
  bio: z.string().max(500).optional(),
  timezone: z.string().max(64).optional(),
});

export async function updateProfile(
  _prev: ProfileFormState,
  formData: FormData,
): Promise<ProfileFormState> {
  const session = await auth();
  if (!session?.user?.id) {
    return { ok: false, message: "Not signed in" };
  }

  const parsed = ProfileUpdate.safeParse({
    displayName: formData.get("displayName"),
    bio: formData.get("bio") ?? undefined,
    timezone: formData.get("timezone") ?? undefined,
  });
  if (!parsed.success) {
    return { ok: false, message: "Invalid profile" };
  }

  await prisma.user.update({
    where: { id: session.user.id },
    data: { ...parsed.data, updatedAt: new Date() },
  });

  revalidatePath("/settings/profile");
  return { ok: true, message: "Profile saved" };
}
