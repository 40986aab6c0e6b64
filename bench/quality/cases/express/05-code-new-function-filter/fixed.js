const express = require("express");
const Order = require("../models/Order");

const router = express.Router();

const FIELDS = new Set(["total", "status", "currency"]);
const OPS = {
  eq: (a, b) => a === b,
  gt: (a, b) => a > b,
  lt: (a, b) => a < b,
};

// GET /reports/orders?field=total&op=gt&value=100
router.get("/reports/orders", async (req, res) => {
  const orders = await Order.find({ shopId: req.user.shopId }).lean();
  let predicate = () => true;
  const { field, op, value } = req.query;
  if (field || op) {
    if (!FIELDS.has(field) || !Object.hasOwn(OPS, op)) {
      return res.status(400).json({ error: "unsupported filter" });
    }
    const operand = field === "total" ? Number(value) : String(value);
    predicate = (o) => OPS[op](o[field], operand);
  }
  const matching = orders.filter((o) => predicate(o));
  res.json({ count: matching.length, orders: matching });
});

module.exports = router;
