"use server";

import { prisma } from "@/lib/prisma";

export async function previewPrice(productId: string, formula: string) {
  const product = await prisma.product.findUniqueOrThrow({ where: { id: productId } });
  const base = product.basePrice;
  const qty = 1;
  // formula like "base * qty * 0.9"
  const price = eval(formula.replace(/base/g, String(base)).replace(/qty/g, String(qty)));
  return { productId, price: Number(price) };
}
