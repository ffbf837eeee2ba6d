package scale

// moneyChecks are the invariants of invoices, credit notes, payments,
// returns and complaints. VAT is rounded per document and rate, half away
// from zero (invoicing.VATOf: PostgreSQL's round of a numeric).
var moneyChecks = []Invariant{
	{"every invoiced order has shipped: invoice lines come from shipments (the order page reads no invoices of an order that has not)", `
		SELECT DISTINCT il.order_id::text FROM invoice_lines il
		WHERE NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = il.order_id)`},
	{"invoice and credit note numbers are gapless per series and year, as their series say", `
		SELECT kind || ' ' || year FROM invoices WHERE state = 'issued'
		GROUP BY kind, year HAVING count(*) <> max(seq) OR min(seq) <> 1 OR count(DISTINCT seq) <> count(*)
		UNION ALL
		SELECT COALESCE(s.kind, i.kind) || ' ' || COALESCE(s.year, i.year) FROM invoice_series s
		FULL JOIN (SELECT kind, year, max(seq) AS m FROM invoices WHERE state = 'issued' GROUP BY kind, year) i
			ON i.kind = s.kind AND i.year = s.year
		WHERE s.last_number IS DISTINCT FROM i.m`},
	{"an issued document's number is its series, year and place, of the year it was issued, in the order issued", `
		SELECT number FROM invoices WHERE state = 'issued' AND (number <> CASE WHEN kind = 'credit_note' THEN 'C' ELSE '' END
			|| year || '-' || lpad(seq::text, 6, '0') OR year <> extract(year FROM issue_date) OR payment_reference <> number)
		UNION ALL
		SELECT number FROM (SELECT number, issue_date, lag(issue_date) OVER (PARTITION BY kind, year ORDER BY seq) AS prev
			FROM invoices WHERE state = 'issued') AS x WHERE prev > issue_date`},
	{"invoice totals and VAT per rate are the sum of their lines; a line is its quantity times its price", `
		WITH t AS (SELECT invoice_id, sum(amount_cents) FILTER (WHERE vat_rate = 21) AS b21,
				sum(amount_cents) FILTER (WHERE vat_rate = 9) AS b9, sum(amount_cents) FILTER (WHERE vat_rate = 0) AS b0
			FROM invoice_lines GROUP BY invoice_id)
		SELECT i.id::text FROM invoices i LEFT JOIN t ON t.invoice_id = i.id,
		LATERAL (SELECT CASE WHEN i.vat_mode = 'domestic' THEN round(t.b21 * 21 / 100.0) ELSE 0 END AS v21,
			CASE WHEN i.vat_mode = 'domestic' THEN round(t.b9 * 9 / 100.0) ELSE 0 END AS v9) AS v
		WHERE i.total_excl_cents <> COALESCE(t.b21, 0) + COALESCE(t.b9, 0) + COALESCE(t.b0, 0)
			OR i.vat_cents <> COALESCE(v.v21, 0) + COALESCE(v.v9, 0)
			OR i.total_incl_cents <> i.total_excl_cents + i.vat_cents
			OR CASE WHEN jsonb_typeof(i.per_rate) = 'array' THEN jsonb_array_length(i.per_rate) ELSE 0 END
				<> (t.b21 IS NOT NULL)::int + (t.b9 IS NOT NULL)::int + (t.b0 IS NOT NULL)::int
			OR t.b21 IS NOT NULL AND NOT i.per_rate @> jsonb_build_array(jsonb_build_object('rate', 21, 'base_cents', t.b21, 'vat_cents', v.v21))
			OR t.b9 IS NOT NULL AND NOT i.per_rate @> jsonb_build_array(jsonb_build_object('rate', 9, 'base_cents', t.b9, 'vat_cents', v.v9))
			OR t.b0 IS NOT NULL AND NOT i.per_rate @> jsonb_build_array(jsonb_build_object('rate', 0, 'base_cents', t.b0, 'vat_cents', 0))
			OR i.state = 'issued' AND t.invoice_id IS NULL
		UNION ALL
		SELECT il.invoice_id || '/' || il.line_no FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
		LEFT JOIN order_lines ol ON ol.id = il.order_line_id
		WHERE il.amount_cents <> il.quantity::bigint * il.unit_price_cents
			OR i.kind = 'invoice' AND il.vat_rate <> CASE WHEN i.vat_mode <> 'domestic' THEN 0 WHEN ol.id IS NULL THEN 21 ELSE ol.vat_rate END
			OR i.kind = 'invoice' AND ol.id IS NOT NULL AND (il.unit_price_cents <> ol.unit_price_cents OR ol.order_id <> il.order_id)`},
	{"an issued invoice names its customer and its dates follow: supplied by the last shipment, due on or after issue", `
		SELECT i.id::text FROM invoices i WHERE i.state = 'issued' AND ((i.buyer->>'customer_number')::bigint <> i.company_id
			OR i.supply_date > i.issue_date OR i.due_date < i.issue_date OR i.issued_at < i.created_at)
		UNION ALL
		SELECT i.id::text FROM invoices i JOIN invoice_lines il ON il.invoice_id = i.id JOIN shipments s ON s.id = il.shipment_id
		WHERE i.kind = 'invoice' AND i.state = 'issued' GROUP BY i.id, i.supply_date HAVING max(s.shipped_on) <> i.supply_date`},
	{"every shipped unit of an order is on exactly one invoice (a replacement's on none), with its shipment", `
		WITH inv AS (SELECT il.order_line_id, sum(il.quantity) AS q FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
			WHERE i.kind = 'invoice' AND il.order_line_id IS NOT NULL GROUP BY il.order_line_id)
		SELECT l.id::text FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN inv ON inv.order_line_id = l.id
		WHERE COALESCE(inv.q, 0) <> CASE WHEN o.return_id IS NULL AND o.complaint_id IS NULL THEN l.shipped ELSE 0 END
		UNION ALL
		SELECT il.invoice_id || '/' || il.line_no FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
		LEFT JOIN shipment_lines sl ON sl.shipment_id = il.shipment_id AND sl.order_line_id = il.order_line_id
		WHERE i.kind = 'invoice' AND il.order_line_id IS NOT NULL AND sl.quantity IS DISTINCT FROM il.quantity
		UNION ALL
		SELECT DISTINCT il.invoice_id::text FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
		JOIN orders o ON o.id = il.order_id WHERE o.company_id <> i.company_id`},
	{"a shipped order's shipping cost is on one invoice, with its first shipment", `
		WITH s AS (SELECT il.order_id, count(*) AS n, sum(il.amount_cents) AS a FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
			WHERE i.kind = 'invoice' AND il.order_line_id IS NULL GROUP BY il.order_id)
		SELECT o.id::text FROM orders o LEFT JOIN s ON s.order_id = o.id
		WHERE (o.ship_state <> 'none' AND o.shipping_cents > 0 AND o.return_id IS NULL AND o.complaint_id IS NULL) <> (s.n IS NOT NULL)
			OR s.n > 1 OR s.a <> o.shipping_cents`},
	{"an order's invoice state says whether its shipped goods wait on a draft or are all on issued invoices", `
		WITH x AS (SELECT il.order_id, bool_or(i.state = 'draft') AS draft, bool_or(i.state = 'issued') AS issued
			FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id WHERE i.kind = 'invoice' GROUP BY il.order_id)
		SELECT o.id::text FROM orders o LEFT JOIN x ON x.order_id = o.id
		WHERE o.invoice_state <> CASE WHEN x.draft THEN 'draft' WHEN x.issued THEN 'issued' ELSE 'none' END`},
	{"an order's invoiced part is its lines on issued invoices, incl. VAT per invoice and rate", `
		WITH parts AS (SELECT il.invoice_id, il.order_id, i.vat_mode, il.vat_rate, sum(il.amount_cents) AS base
			FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id WHERE i.kind = 'invoice' AND i.state = 'issued'
			GROUP BY il.invoice_id, il.order_id, i.vat_mode, il.vat_rate),
		per AS (SELECT order_id, sum(base + CASE WHEN vat_mode = 'domestic' THEN round(base * vat_rate / 100.0) ELSE 0 END) AS incl
			FROM parts GROUP BY order_id)
		SELECT o.id::text FROM orders o LEFT JOIN per ON per.order_id = o.id
		WHERE o.invoiced_cents <> COALESCE(per.incl, 0) OR (o.first_invoiced_at IS NULL) <> (per.order_id IS NULL)`},
	{"what is paid of a document is its prepayment and its allocations never exceed it; a credit note is set off up to its amount", `
		WITH a AS (SELECT invoice_id AS id, amount_cents AS q FROM allocations WHERE undone_at IS NULL AND invoice_id IS NOT NULL
			UNION ALL SELECT credit_note_id, -amount_cents FROM allocations WHERE undone_at IS NULL AND credit_note_id IS NOT NULL),
		s AS (SELECT id, sum(q) AS q FROM a GROUP BY id)
		SELECT i.id::text FROM invoices i LEFT JOIN s ON s.id = i.id
		WHERE i.paid_cents <> i.prepaid_cents + COALESCE(s.q, 0)
			OR i.kind = 'invoice' AND NOT i.paid_cents BETWEEN 0 AND i.total_incl_cents
			OR i.kind = 'credit_note' AND NOT i.paid_cents BETWEEN i.total_incl_cents AND 0
			OR i.state = 'draft' AND i.paid_cents <> 0`},
	{"what is unallocated of a payment is its amount less its allocations; a prepayment order's paid part is its allocations", `
		SELECT p.id::text FROM payments p
		LEFT JOIN (SELECT payment_id, sum(amount_cents) AS q FROM allocations WHERE undone_at IS NULL AND payment_id IS NOT NULL
			GROUP BY payment_id) a ON a.payment_id = p.id
		WHERE p.unallocated_cents <> p.amount_cents - COALESCE(a.q, 0)
		UNION ALL
		SELECT o.id::text FROM orders o
		LEFT JOIN (SELECT order_id, sum(amount_cents) AS q FROM allocations WHERE undone_at IS NULL AND order_id IS NOT NULL
			GROUP BY order_id) a ON a.order_id = o.id
		WHERE o.paid_cents <> COALESCE(a.q, 0)`},
	{"an allocation is between a payment or credit note and an issued invoice or prepayment order of one customer", `
		SELECT a.id::text FROM allocations a LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN invoices c ON c.id = a.credit_note_id
		LEFT JOIN invoices i ON i.id = a.invoice_id LEFT JOIN orders o ON o.id = a.order_id
		WHERE a.company_id <> COALESCE(p.company_id, c.company_id) OR a.company_id <> COALESCE(i.company_id, o.company_id)
			OR c.kind <> 'credit_note' OR c.state <> 'issued' OR i.kind <> 'invoice' OR i.state <> 'issued' OR NOT o.prepayment
			OR a.undone_at < a.created_at`},
	{"a credit note credits lines of an issued invoice of the same customer, never more than was invoiced", `
		SELECT cn.id::text FROM invoices cn LEFT JOIN invoices i ON i.id = cn.credits_invoice_id
		WHERE cn.kind = 'credit_note' AND (i.id IS NULL OR i.kind <> 'invoice' OR i.state <> 'issued' OR i.company_id <> cn.company_id
			OR i.vat_mode <> cn.vat_mode OR cn.issue_date < i.issue_date OR cn.total_incl_cents >= 0)
		UNION ALL
		SELECT cl.invoice_id || '/' || cl.line_no FROM invoice_lines cl JOIN invoices cn ON cn.id = cl.invoice_id AND cn.kind = 'credit_note'
		LEFT JOIN invoice_lines il ON il.invoice_id = cn.credits_invoice_id AND il.line_no = cl.credits_line_no
		WHERE il.line_no IS NULL OR cl.quantity >= 0 OR il.sku <> cl.sku OR il.unit_price_cents <> cl.unit_price_cents
			OR il.vat_rate <> cl.vat_rate OR il.order_id <> cl.order_id
		UNION ALL
		SELECT cn.credits_invoice_id || '/' || cl.credits_line_no FROM invoice_lines cl
		JOIN invoices cn ON cn.id = cl.invoice_id AND cn.kind = 'credit_note'
		JOIN invoice_lines il ON il.invoice_id = cn.credits_invoice_id AND il.line_no = cl.credits_line_no
		GROUP BY cn.credits_invoice_id, cl.credits_line_no, il.quantity HAVING -sum(cl.quantity) > il.quantity`},
	{"a reminder is of an issued invoice, sent after its due date", `
		SELECT r.invoice_id || '/' || r.level FROM invoice_reminders r JOIN invoices i ON i.id = r.invoice_id
		WHERE i.state <> 'issued' OR i.kind <> 'invoice' OR (r.sent_at AT TIME ZONE 'Europe/Amsterdam')::date <= i.due_date`},
	{"RA numbers are gapless per year, as their series say", `
		SELECT ra_year::text FROM returns WHERE ra_year IS NOT NULL
		GROUP BY ra_year HAVING count(*) <> max(ra_seq) OR min(ra_seq) <> 1
		UNION ALL
		SELECT COALESCE(s.year, r.y)::text FROM return_series s
		FULL JOIN (SELECT ra_year AS y, max(ra_seq) AS m FROM returns WHERE ra_year IS NOT NULL GROUP BY ra_year) r ON r.y = s.year
		WHERE s.last_number IS DISTINCT FROM r.m
		UNION ALL
		SELECT ra_number FROM returns WHERE ra_number <> 'RA-' || ra_year || '-' || lpad(ra_seq::text, 6, '0')`},
	{"a return is of units its customer received in that shipment, and its settlement is there (sends_back when units go back)", `
		SELECT r.id::text FROM returns r JOIN orders o ON o.id = r.order_id JOIN order_lines l ON l.id = r.order_line_id
		LEFT JOIN shipment_lines sl ON sl.shipment_id = r.shipment_id AND sl.order_line_id = r.order_line_id
		LEFT JOIN invoices cn ON cn.id = r.credit_note_id LEFT JOIN orders repl ON repl.id = r.replacement_order_id
		WHERE r.company_id <> o.company_id OR l.order_id <> o.id OR l.product_id <> r.product_id OR sl.quantity IS NULL
			OR r.quantity > sl.quantity OR r.approved_at < r.created_at
			OR cn.id IS NOT NULL AND (cn.kind <> 'credit_note' OR cn.company_id <> r.company_id)
			OR r.settlement = 'credit_note' AND cn.id IS NULL
			OR repl.id IS NOT NULL AND repl.return_id IS DISTINCT FROM r.id
			OR r.state IN ('received', 'tested', 'settled') AND (SELECT count(*) FROM return_units u WHERE u.return_id = r.id) <> r.quantity
			OR r.state IN ('tested', 'settled') AND EXISTS (SELECT 1 FROM return_units u WHERE u.return_id = r.id AND u.result IS NULL)
			OR r.sends_back <> EXISTS (SELECT 1 FROM return_units u WHERE u.return_id = r.id AND u.disposition = 'customer')
		UNION ALL
		SELECT o.id::text FROM orders o LEFT JOIN returns r ON r.id = o.return_id
		WHERE o.return_id IS NOT NULL AND r.replacement_order_id IS DISTINCT FROM o.id`},
	{"a complaint is of its order's customer; a refund is its customer's credit note, an exchange its replacement order", `
		SELECT c.id::text FROM complaints c LEFT JOIN orders o ON o.id = c.order_id LEFT JOIN invoices cn ON cn.id = c.credit_note_id
		LEFT JOIN orders repl ON repl.id = c.replacement_order_id
		WHERE o.company_id <> c.company_id OR cn.company_id <> c.company_id OR cn.kind <> 'credit_note'
			OR c.outcome = 'refund' AND cn.id IS NULL OR c.outcome = 'exchange' AND repl.id IS NULL
			OR repl.complaint_id IS DISTINCT FROM c.id AND repl.id IS NOT NULL
			OR c.ack_due < c.received_on OR c.resolve_due < c.received_on OR c.acknowledged_at < c.received_at
			OR c.resolved_at < c.acknowledged_at
		UNION ALL
		SELECT o.id::text FROM orders o LEFT JOIN complaints c ON c.id = o.complaint_id
		WHERE o.complaint_id IS NOT NULL AND c.replacement_order_id IS DISTINCT FROM o.id`},
}
