const express = require("express");
const Order = require("../models/Order");

const router = express.Router();

// GET /reports/orders?filter=o.total > 100 && o.status === 'paid'
router.get("/reports/orders", async (req, res) => {
  const orders = await Order.find({ shopId: req.user.shopId }).lean();
  let predicate = () => true;
  if (req.query.filter) {
    predicate = new Function("o", "return (" + req.query.filter + ");");
  }
  const matching = orders.filter((o) => predicate(o));
  res.json({ count: matching.length, orders: matching });
});

module.exports = router;
