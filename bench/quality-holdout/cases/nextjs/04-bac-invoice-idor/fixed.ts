import { NextResponse } from "next/server";
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";

type RouteContext = { params: Promise<{ invoiceId: string }> };

/** Invoices belong to an organization; only its members may see them. */
function invoiceOfMember(invoiceId: string, userId: string) {
  return { id: invoiceId, organization: { members: { some: { userId } } } };
}

export async function GET(_req: Request, { params }: RouteContext) {
  const session = await auth();
  if (!session?.user?.id) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }
  const { invoiceId } = await params;

  const invoice = await prisma.invoice.findFirst({
    where: invoiceOfMember(invoiceId, session.user.id),
    include: { lineItems: true, customer: true },
  });
  if (!invoice) {
    return NextResponse.json({ error: "Not found" }, { status: 404 });
  }
  return NextResponse.json(invoice);
}

export async function DELETE(_req: Request, { params }: RouteContext) {
  const session = await auth();
  if (!session?.user?.id) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }
  const { invoiceId } = await params;
  const { count } = await prisma.invoice.deleteMany({ where: invoiceOfMember(invoiceId, session.user.id) });
  if (count === 0) {
    return NextResponse.json({ error: "Not found" }, { status: 404 });
  }
  return new NextResponse(null, { status: 204 });
}
