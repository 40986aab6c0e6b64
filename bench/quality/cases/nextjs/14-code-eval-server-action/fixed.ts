"use server";

import { prisma } from "@/lib/prisma";

const DISCOUNTS = { none: 1, member: 0.9, wholesale: 0.75 } as const;
type Discount = keyof typeof DISCOUNTS;

export async function previewPrice(productId: string, discount: Discount) {
  const product = await prisma.product.findUniqueOrThrow({ where: { id: productId } });
  const base = product.basePrice;
  const qty = 1;
  if (!Object.hasOwn(DISCOUNTS, discount)) throw new Error("unknown discount");
  const price = base * qty * DISCOUNTS[discount];
  return { productId, price: Number(price) };
}
