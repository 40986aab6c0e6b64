const express = require("express");
const Stripe = require("stripe");
const { markOrderPaid } = require("../services/orders");

const stripe = new Stripe("sk_live_51NxQ2vHk8LmR4tYp9WcZs3BfJd7KgE2uAo6XiTn0VrMq5PlSy8DwCe1HbUj4FkGa00QzRtYxLp", {
  apiVersion: "2024-06-20",
});
const WEBHOOK_SECRET = "whsec_8fK2mQ9vLx3TzR7pWn4YbC6dHs1JgE5u";

const router = express.Router();

router.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  if (event.type === "checkout.session.completed") {
    const checkout = event.data.object;
    await markOrderPaid(checkout.metadata.orderId, checkout.payment_intent);
  }
  res.json({ received: true });
});

module.exports = router;
