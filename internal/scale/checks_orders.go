package scale

// derivedStatus is orders.DeriveStatus in SQL, of the order row o.
const derivedStatus = `CASE WHEN o.state = 'draft' THEN 'draft' WHEN o.state = 'cancelled' THEN 'cancelled'
	WHEN o.ship_state = 'all' AND o.invoice_state = 'issued' THEN 'invoiced'
	WHEN o.ship_state = 'all' THEN 'shipped'
	WHEN o.credit_hold = 'held' THEN 'awaiting_credit'
	WHEN o.prepayment AND o.paid_cents < o.total_incl_cents THEN 'awaiting_payment'
	WHEN NOT o.prepayment AND NOT (o.confirmed_at IS NOT NULL AND o.confirmed_total_cents IS NOT NULL
		AND o.confirmed_total_cents >= o.total_incl_cents) THEN 'awaiting_confirmation'
	WHEN o.ship_state = 'partly' THEN 'partly_shipped' ELSE 'released' END`

// orderChecks are the invariants of orders, their lines, demands, stock
// and shipments.
var orderChecks = []Invariant{
	// VAT rates are 0, 9 and 21 (a CHECK of order_lines and invoice_lines):
	// one pass sums each rate's base.
	{"order totals are the sum of their live lines and shipping, VAT per rate rounded half up", `
		WITH l AS (
			SELECT order_id, COALESCE(sum(amount) FILTER (WHERE vat_rate = 21), 0)::bigint AS b21,
				COALESCE(sum(amount) FILTER (WHERE vat_rate = 9), 0)::bigint AS b9,
				COALESCE(sum(amount) FILTER (WHERE vat_rate = 0), 0)::bigint AS b0
			FROM (SELECT order_id, vat_rate, quantity::bigint * unit_price_cents AS amount FROM order_lines WHERE NOT cancelled) AS x
			GROUP BY order_id)
		SELECT o.id::text FROM orders o LEFT JOIN l ON l.order_id = o.id
		WHERE o.total_excl_cents <> COALESCE(l.b21 + l.b9 + l.b0, 0) + o.shipping_cents
			OR o.vat_cents <> CASE WHEN o.vat_mode <> 'domestic' THEN 0 ELSE
				((COALESCE(l.b21, 0) + o.shipping_cents) * 21 + 50) / 100 + (COALESCE(l.b9, 0) * 9 + 50) / 100 END
			OR o.total_incl_cents <> o.total_excl_cents + o.vat_cents`},
	{"an order's status is the one its state, hold, confirmation, payment, shipments and invoices give", `
		SELECT o.id::text FROM orders o WHERE o.status <> ` + derivedStatus},
	{"an order's ship state is what of its live lines shipped", `
		WITH x AS (SELECT order_id, bool_or(shipped > 0) AS some, bool_and(cancelled OR shipped >= quantity) AS every
			FROM order_lines GROUP BY order_id)
		SELECT o.id::text FROM orders o JOIN x ON x.order_id = o.id
		WHERE o.ship_state <> CASE WHEN x.some AND x.every THEN 'all' WHEN x.some THEN 'partly' ELSE 'none' END`},
	{"states agree with their timestamps and with each other", `
		SELECT o.id::text FROM orders o
		WHERE (o.state = 'draft') <> (o.placed_at IS NULL) AND NOT (o.state = 'cancelled' AND o.placed_at IS NULL)
			OR o.placed_at < o.created_at OR o.confirmed_at < o.created_at OR o.updated_at < o.created_at
			OR o.first_invoiced_at < o.placed_at OR o.first_invoiced_at IS NULL AND o.invoiced_cents <> 0
			OR o.credit_hold = 'held' AND o.state = 'draft' OR o.credit_hold = 'rejected' AND o.state <> 'cancelled'
			OR o.credit_hold <> 'none' AND o.prepayment
			OR (o.confirmed_at IS NULL) <> (o.confirmation_kind IS NULL) OR o.ship_state <> 'none' AND o.state = 'draft'`},
	{"a placed prepayment order carries its payment reference (orders.PaymentReference)", `
		SELECT o.id::text FROM orders o WHERE o.prepayment AND o.placed_at IS NOT NULL AND o.payment_reference IS DISTINCT FROM
			'WS' || lpad((o.id % 1000000000)::text, 9, '0') || lpad((98 - (o.id % 1000000000) * 100 % 97)::text, 2, '0')`},
	{"a placed order has a live line", `
		SELECT o.id::text FROM orders o WHERE o.state = 'placed'
			AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND NOT l.cancelled)`},
	{"an order's revisions are numbered 1 to its revision", `
		SELECT o.id::text FROM orders o
		LEFT JOIN (SELECT order_id, count(*) AS n, min(revision) AS lo, max(revision) AS hi FROM order_revisions GROUP BY order_id) r
			ON r.order_id = o.id
		WHERE r.n IS DISTINCT FROM o.revision OR r.lo <> 1 OR r.hi <> o.revision`},
	{"a line's shipped quantity is what its shipments took, at most its quantity", `
		SELECT l.id::text FROM order_lines l
		LEFT JOIN (SELECT order_line_id, sum(quantity) AS q FROM shipment_lines GROUP BY order_line_id) s ON s.order_line_id = l.id
		WHERE l.shipped <> COALESCE(s.q, 0) OR l.shipped > l.quantity`},
	{"a shipment is of its order's customer and ships lines of that order", `
		SELECT sh.id::text FROM shipments sh JOIN orders o ON o.id = sh.order_id WHERE sh.company_id <> o.company_id OR o.state = 'draft'
		UNION ALL
		SELECT sl.shipment_id::text FROM shipment_lines sl JOIN shipments sh ON sh.id = sl.shipment_id
		JOIN order_lines l ON l.id = sl.order_line_id WHERE l.order_id <> sh.order_id`},
	{"a placed line has the demand of its product, customer and quantity; a cancelled one's is released", `
		SELECT l.id::text FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN demands d ON d.id = l.demand_id
		WHERE CASE WHEN o.state = 'placed' AND NOT l.cancelled
			THEN d.id IS NULL OR d.quantity <> l.quantity OR d.status = 'cancelled'
			ELSE d.id IS NOT NULL AND d.status = 'open' END
			OR d.product_id <> l.product_id OR d.company_id <> o.company_id OR d.shipped <> l.shipped
			OR o.placed_at IS NULL AND d.id IS NOT NULL`},
	{"a demand's reservations hold what it reserved and has not shipped; shipped and released ones hold none", `
		SELECT d.id::text FROM demands d
		LEFT JOIN (SELECT demand_id, sum(quantity) AS q FROM demand_reservations GROUP BY demand_id) r ON r.demand_id = d.id
		WHERE d.reserved - d.shipped <> COALESCE(r.q, 0)
			OR d.status = 'shipped' AND NOT (d.shipped = d.quantity AND d.reserved = d.quantity)
			OR d.status = 'cancelled' AND (d.reserved <> 0 OR d.shipped <> 0)
			OR d.status = 'open' AND d.shipped >= d.quantity`},
	{"stock reserved is the sum of the open reservations, per product and warehouse; every product has its stock rows", `
		SELECT s.product_id || '/' || s.warehouse_id FROM stock s
		LEFT JOIN (SELECT d.product_id, r.warehouse_id, sum(r.quantity) AS q FROM demand_reservations r
			JOIN demands d ON d.id = r.demand_id GROUP BY d.product_id, r.warehouse_id) x
			ON x.product_id = s.product_id AND x.warehouse_id = s.warehouse_id
		WHERE s.reserved <> COALESCE(x.q, 0)
		UNION ALL
		SELECT p.id::text FROM products p CROSS JOIN warehouses w
		WHERE NOT EXISTS (SELECT 1 FROM stock s WHERE s.product_id = p.id AND s.warehouse_id = w.id)`},
	{"nothing is free of a product of which a back order waits: arriving goods go to waiting lines first", `
		SELECT d.product_id::text FROM (SELECT DISTINCT product_id FROM demands WHERE status = 'open' AND reserved < quantity) d
		JOIN stock s ON s.product_id = d.product_id GROUP BY d.product_id HAVING sum(s.on_hand - s.reserved) > 0`},
	{"a waiting back order is of a placed order", `
		SELECT d.id::text FROM demands d LEFT JOIN order_lines l ON l.demand_id = d.id LEFT JOIN orders o ON o.id = l.order_id
		WHERE d.status = 'open' AND (o.id IS NULL AND d.reference LIKE '{"id":"order %' OR o.state <> 'placed' OR l.cancelled)`},
}
