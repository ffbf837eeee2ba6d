package customers

import (
	"context"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Approve makes the applicant a customer: only when every checklist item has
// passed. It creates the company with its payment terms and account manager
// and invites the contact person as a customer user, all in one
// transaction. The company's language (of its mail, and of the invitation)
// is Dutch for a visiting address in the Netherlands and English for
// others. Returns NotFound, Invalid, Conflict.
func (s *Service) Approve(ctx context.Context, by *users.User, appID int64, in ApproveInput) (*Company, error) {
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	c := &Company{PaymentTerms: in.PaymentTerms, PaymentTermDays: in.paymentTermDays, CreditLimitCents: in.creditLimitCents}
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		a, err := lockOpenApplication(ctx, tx, appID)
		if err != nil {
			return err
		}
		var checks []Check
		if err := tx.NewSelect().Model(&checks).Where("application_id = ?", appID).Scan(ctx); err != nil {
			return err
		}
		byItem := map[string]Check{}
		for _, ch := range checks {
			byItem[ch.Item] = ch
		}
		if missing := Missing(Checklist(a), byItem); len(missing) > 0 {
			return apperr.Conflictf("Approval needs every check passed. Not passed yet: %s.", joinMessages(missing))
		}
		am, err := users.ByID(ctx, tx, in.AccountManagerID)
		if err != nil || am.Role != users.RoleAccountManager || !am.Active {
			return apperr.FieldErrors{"account_manager_id": i18n.M("Choose an active account manager.")}.Err()
		}
		now := s.Clock.Now()
		c.Name, c.KvK, c.BranchNumber, c.VATID, c.Visiting, c.Invoice = a.CompanyName, a.KvK, a.BranchNumber, a.VATID, a.Visiting, a.Invoice
		c.ContactName, c.ContactEmail, c.ContactPhone, c.InvoiceEmail = a.ContactName, a.ContactEmail, a.ContactPhone, a.ContactEmail
		c.IBAN, c.AccountHolder, c.AccountManagerID, c.ApplicationID = a.IBAN, a.AccountHolder, &am.ID, &a.ID
		c.Language = string(LanguageFor(c.Visiting.Country))
		if err := Insert(ctx, tx, now, c); err != nil {
			return err
		}
		terms := i18n.M("prepayment: goods ship once your payment is in")
		if c.PaymentTerms == TermsCredit {
			terms = i18n.M("a credit limit of %s, invoices due in %d days", i18n.Amount(c.CreditLimitCents), c.PaymentTermDays)
		}
		intro := i18n.For(c.Lang()).Text(i18n.M("Welcome: %s is now a customer of ours, with %s. Your account manager is %s (%s).\nIn the customer portal you follow your orders, back orders, deliveries, invoices and returns.", c.Name, terms, am.Name, am.Email))
		// The contact reads the invitation and the portal in the company's
		// language until they choose their own on /profile.
		_, err = s.Users.Invite(ctx, tx, users.NewUser{Email: a.ContactEmail, Name: a.ContactName, Role: users.RoleCustomer, CompanyID: c.ID, Language: c.Language}, s.BaseURL, intro)
		if ae, ok := apperr.As(err); ok && !ae.Fields["email"].IsZero() {
			return apperr.Conflictf("The contact e-mail address %s has a login already; change it on the application or deactivate that login first.", a.ContactEmail)
		}
		if err != nil {
			return err
		}
		a.DecidedBy, a.DecidedAt, a.CompanyID = &by.ID, &now, &c.ID
		if _, err := tx.NewUpdate().Model(a).Column("decided_by", "decided_at", "company_id").WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "application", EntityID: a.ID, Action: "approve",
			After: map[string]any{"company_id": c.ID, "payment_terms": c.PaymentTerms, "credit_limit_cents": c.CreditLimitCents,
				"payment_term_days": c.PaymentTermDays, "account_manager_id": am.ID}}); err != nil {
			return err
		}
		return s.setStatus(ctx, tx, a, AppApproved)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Reject turns the application down with a reason, which is mailed to the
// applicant in the language of the application. Returns NotFound, Invalid,
// Conflict.
func (s *Service) Reject(ctx context.Context, by *users.User, appID int64, reason string) error {
	if err := requiredNote("reason", &reason, i18n.M("Give the reason; the applicant receives it.")); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		a, err := lockOpenApplication(ctx, tx, appID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		a.RejectReason, a.DecidedBy, a.DecidedAt = reason, &by.ID, &now
		if _, err := tx.NewUpdate().Model(a).Column("reject_reason", "decided_by", "decided_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		body := i18n.M("Dear %s,\n\nWe are sorry: we cannot accept the application of %s (A-%d) to become a customer.\n\nReason: %s\n",
			a.ContactName, a.CompanyName, a.ID, reason)
		if err := mailApplicant(ctx, tx, now, a, i18n.M("Your application A-%d", a.ID), body); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "application", EntityID: a.ID, Action: "reject", After: map[string]string{"reason": reason}}); err != nil {
			return err
		}
		return s.setStatus(ctx, tx, a, AppRejected)
	})
}
