const express = require("express");
const Stripe = require("stripe");
const { markOrderPaid } = require("../services/orders");

const { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET } = process.env;
if (!STRIPE_SECRET_KEY || !STRIPE_WEBHOOK_SECRET) {
  throw new Error("STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set");
}

const stripe = new Stripe(STRIPE_SECRET_KEY, { apiVersion: "2024-06-20" });

const router = express.Router();

router.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).json({ error: "invalid signature" });
  }

  if (event.type === "checkout.session.completed") {
    const checkout = event.data.object;
    await markOrderPaid(checkout.metadata.orderId, checkout.payment_intent);
  }
  res.json({ received: true });
});

module.exports = router;
