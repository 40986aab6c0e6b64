"use server";

import { revalidatePath } from "next/cache";
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";

export type ProfileFormState = { ok: boolean; message?: string };

export async function updateProfile(
  _prev: ProfileFormState,
  formData: FormData,
): Promise<ProfileFormState> {
  const session = await auth();
  if (!session?.user?.id) {
    return { ok: false, message: "Not signed in" };
  }

  const changes = Object.fromEntries(formData.entries());
  delete changes["$ACTION_ID"];

  await prisma.user.update({
    where: { id: session.user.id },
    data: { ...changes, updatedAt: new Date() },
  });

  revalidatePath("/settings/profile");
  return { ok: true, message: "Profile saved" };
}
