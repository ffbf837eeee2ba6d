package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/calendar"
	"wholesale/internal/clock"
	"wholesale/internal/complaints"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// loadComplaints fills the complaints log through the complaints service,
// each step as its person on a working day before today, so that every
// role has work and the deadlines read as they would today: one of the
// demo customer's just filed in the portal (to acknowledge); one of
// Küchenwelt's acknowledged and past its week, so flagged to the customer
// service manager with no investigator yet; one of the Russian customer's
// recorded from a mail and not acknowledged in time (overdue); one of
// Küchenwelt's with Sam Sales investigating, an internal note and a
// progress report; and three of the demo customer's: resolved with an
// apology, refunded with a credit note of its invoice of INK-4471 (the
// cookbooks came wet in today's delivery), and resolved with a repair that
// it escalated to the board. Call it after loadReturns: the refund
// follows the delivery, and its credit note the return's.
func loadComplaints(ctx context.Context, db *bun.DB, now time.Time, baseURL string, d *Data) error {
	cal, err := calendar.Load(ctx, db)
	if err != nil {
		return err
	}
	today := cal.LocalDay(now)
	// back is the n-th business day before today at hh:mm in Amsterdam.
	back := func(n, hh, mm int) time.Time {
		day := today
		for n > 0 {
			day = day.AddDate(0, 0, -1)
			if cal.IsBusinessDay(day) {
				n--
			}
		}
		return time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, clock.Amsterdam).UTC()
	}
	minutesAgo := func(m int) time.Time { return now.Add(-time.Duration(m) * time.Minute) }
	buyer, am := d.Users[users.RoleCustomer], d.Users[users.RoleAccountManager]
	csm, sales := d.Users[users.RoleCustomerService], d.Users[users.RoleSales]
	var ref struct {
		Kuechenwelt int64 `bun:"kw"`
		Russian     int64 `bun:"ru"`
		Order       int64 `bun:"order_id"`
		Invoice     string
		Line        int
	}
	if err := db.NewRaw(`SELECT (SELECT id FROM companies WHERE name = 'Küchenwelt Müller GmbH') AS kw,
			(SELECT id FROM companies WHERE name = 'ООО «Кухня-Опт»') AS ru, o.id AS order_id, i.number AS invoice, l.line_no AS line
		FROM orders o JOIN invoice_lines l ON l.order_id = o.id AND l.sku = 'BK-AIRFRY'
		JOIN invoices i ON i.id = l.invoice_id AND i.kind = 'invoice' AND i.state = 'issued'
		WHERE o.po_reference = 'INK-4471' AND o.company_id = ?`, d.Company.ID).Scan(ctx, &ref); err != nil {
		return fmt.Errorf("the customers, order INK-4471 and its invoice: %w", err)
	}
	nl, en := lettersIn(i18n.NL), lettersIn(i18n.EN)
	jansen := complaints.FileInput{ContactName: "Joris Jansen", ContactEmail: "buyer@bakkerij-jansen.test", ContactPhone: "+31 30 123 4567"}
	mueller := complaints.FileInput{CompanyID: ref.Kuechenwelt, ContactName: "Jonas Müller", ContactEmail: "inkoop@de.customer.test",
		ContactPhone: "+49 221 555 0147"}
	described := func(in complaints.FileInput, channel, description string) complaints.FileInput {
		in.Channel, in.Description = channel, description
		return in
	}
	story := func() *complaintStory { return &complaintStory{ctx: ctx, db: db, baseURL: baseURL} }

	// Resolved with a repair, which the customer escalated to the board:
	// the board answers within a week of the escalation.
	s := story().file(back(15, 8, 30), buyer, described(jansen, complaints.ChannelPortal,
		"The Krups Arabica espresso machine in our shop leaks water under the drip tray again, three weeks after it was repaired."))
	s.acknowledge(back(14, 10, 0), am, nl.acknowledgement(am, "We vragen Groupe SEB Service om de machine op te halen."))
	s.resolve(back(7, 14, 0), am, complaints.ResolveInput{Outcome: complaints.OutcomeRepair, Explanation: "Beste Joris,\n\nDe monteur van Groupe SEB " +
		"Service heeft de machine bekeken: de pomp lekt bij de aansluiting, een bekend gebrek van deze serie. Hij vervangt de pomp kosteloos " +
		"en zet u zolang een leenmachine neer.\n\nMet vriendelijke groet,\nMila Accountmanager"})
	s.escalate(back(2, 8, 15), buyer, "This is the third repair this year. We want a new machine, not another repair.")
	if s.err != nil {
		return s.err
	}

	// Resolved with an apology; the customer may still escalate it.
	s = story().file(back(10, 7, 45), buyer, described(jansen, complaints.ChannelPortal,
		"The driver left our pallet on the pavement in the rain instead of bringing it to the back door, as our delivery instructions say. "+
			"The boxes were soaked; the goods inside survived."))
	s.acknowledge(back(9, 9, 10), am, nl.acknowledgement(am, "We vragen de vervoerder om het verslag van de chauffeur."))
	s.resolve(back(3, 11, 0), am, complaints.ResolveInput{Outcome: complaints.OutcomeApology, Explanation: "Beste Joris,\n\nWe hebben de rit nagevraagd " +
		"bij de vervoerder. De chauffeur was een invaller die uw afleverinstructies niet had gekregen. Onze excuses. De vervoerder zet uw " +
		"instructies voortaan op elke vrachtbrief, en wij zetten ze ook op onze pakbon.\n\nMet vriendelijke groet,\nMila Accountmanager"})
	if s.err != nil {
		return s.err
	}

	// Investigated by Sam Sales, with an internal note, and a progress
	// report promising the full answer within a week.
	s = story().file(back(9, 14, 40), am, described(mueller, complaints.ChannelMail,
		"Mail of Jonas Müller: the November price list does not show the 10 % volume discount agreed for 2026 on Tefal grill plates from 20 units."))
	s.acknowledge(back(8, 10, 0), am, en.acknowledgement(am, "We are checking the agreement and the price list."))
	s.assign(back(4, 9, 0), csm, sales)
	s.note(back(3, 15, 20), sales, "The 2026 agreement (signed in January) gives 10 % on TF-XA5105 from 20 units. The November price list "+
		"was exported without the agreements' discounts, for every customer. Fixing the export; Mila sends Küchenwelt the corrected list.")
	answerBy := cal.AddWorkingDays(today, 5)
	s.progress(back(1, 16, 0), am, en.progressReport(am, answerBy,
		"Sam Sales found that our November price list left out the discounts agreed with our customers, yours included."))
	if s.err != nil {
		return s.err
	}

	// Acknowledged, past its week and not yet resolved: flagged to the
	// customer service manager, who has not assigned an investigator.
	s = story().file(back(6, 10, 20), am, described(mueller, complaints.ChannelPhone,
		"Called: the last two deliveries of Tefal Easy Fry air fryers came without German manuals; the shops cannot sell them like that."))
	s.acknowledge(back(5, 9, 30), am, en.acknowledgement(am, "We have asked Groupe SEB for the German manuals."))
	if s.err != nil {
		return s.err
	}

	// Recorded from a mail and not acknowledged within 3 working days.
	s = story().file(back(4, 11, 5), am, complaints.FileInput{CompanyID: ref.Russian, Channel: complaints.ChannelMail,
		ContactName: "Irina Smirnova", ContactEmail: "inkoop@ru.customer.test", Description: "Mail of Irina Smirnova: the October " +
			"shipment came without a packing list, so their warehouse could not check the goods in for three days."})
	if s.err != nil {
		return s.err
	}

	// Refunded the same day: two wet cookbooks of today's delivery of
	// INK-4471 are credited on its invoice. The explanation's first line is
	// the credit note's reason.
	in := described(jansen, complaints.ChannelPortal, "Two of the airfryer cookbooks in today's delivery are wet: the pages stick together. We cannot sell them.")
	in.Order = strconv.FormatInt(ref.Order, 10)
	s = story().file(minutesAgo(4), buyer, in)
	s.acknowledge(minutesAgo(3), am, nl.acknowledgement(am, "Ik bekijk het vandaag nog."))
	s.resolve(minutesAgo(2), am, complaints.ResolveInput{Outcome: complaints.OutcomeRefund, Invoice: ref.Invoice,
		Quantities: map[int]int{ref.Line: 2}, Explanation: "Twee kookboeken werden bij het laden nat; we crediteren ze.\n" +
			"De doos stond bij het laden in de regen. De creditnota staat bij uw facturen; u hoeft de boeken niet terug te sturen.\n\n" +
			"Met vriendelijke groet,\nMila Accountmanager"})
	if s.err != nil {
		return s.err
	}

	// Just filed in the portal: to acknowledge within 3 working days.
	return story().file(minutesAgo(1), buyer, described(jansen, complaints.ChannelPortal,
		"Our account manager promised us the 2027 price list two weeks ago; we still do not have it and need it for our budget.")).err
}
