package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/calendar"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/settings"
	"wholesale/internal/validate"
)

func (s *Server) registerAdminSettingsRoutes() {
	// GET /admin/settings shows the company details invoices print, the invoicing cutoff, the closing days and the public holidays.
	s.page(fiber.MethodGet, "/admin/settings", adminOnly, s.handleSettings)
	// POST /admin/settings saves the company details and the cutoff.
	s.page(fiber.MethodPost, "/admin/settings", adminOnly, s.handleSettingsSave)
	// POST /admin/settings/reminders saves the days after the due date that the payment reminders go out.
	s.page(fiber.MethodPost, "/admin/settings/reminders", adminOnly, s.handleReminderSettingsSave)
	// POST /admin/settings/returns saves the days a return parcel has to arrive after its RA is issued.
	s.page(fiber.MethodPost, "/admin/settings/returns", adminOnly, s.handleReturnSettingsSave)
	// POST /admin/closing-days adds a closing day.
	s.page(fiber.MethodPost, "/admin/closing-days", adminOnly, s.handleClosingDayAdd)
	// POST /admin/closing-days/:day/delete removes a closing day (day as 2026-12-28).
	s.page(fiber.MethodPost, "/admin/closing-days/:day/delete", adminOnly, s.handleClosingDayRemove)
}

// closingDayForm is the form that adds a closing day, as typed.
type closingDayForm struct {
	Day, Reason string
}

type settingsPage struct {
	Page
	// Form is the details form: as stored, or as typed when refused.
	Form     settings.Input
	Settings *settings.Settings
	// Missing says which details an invoice still needs; none when complete.
	Missing i18n.Message
	DayForm closingDayForm
	// ReminderForm is the payment reminders' form: as stored, or as typed when refused.
	ReminderForm settings.ReminderInput
	// ReturnsForm is the returns' form: as stored, or as typed when refused.
	ReturnsForm settings.ReturnsInput
	// Closing are the closing days from today on; Today is today in Amsterdam.
	Closing  []settings.ClosingDay
	Today    time.Time
	Holidays []calendar.Holiday
}

// settingsPage reads what the page shows, the forms filled in with what
// is stored.
func (s *Server) settingsPage(c *fiber.Ctx) (*settingsPage, error) {
	ctx := c.UserContext()
	st, err := settings.Get(ctx, s.db)
	if err != nil {
		return nil, err
	}
	today := calendar.Day(s.clock.Now().In(clock.Amsterdam))
	closing, err := settings.ClosingDays(ctx, s.db, today)
	if err != nil {
		return nil, err
	}
	p := &settingsPage{Page: Page{Title: i18n.M("Company settings")}, Form: settings.InputOf(st), Settings: st, ReminderForm: settings.ReminderInputOf(st),
		ReturnsForm: settings.ReturnsInputOf(st),
		Closing:     closing, Today: today, Holidays: append(calendar.Holidays(today.Year()), calendar.Holidays(today.Year()+1)...)}
	if ae, ok := apperr.As(st.ReadyToInvoice()); ok {
		p.Missing = ae.Msg
	}
	return p, nil
}

func (s *Server) handleSettings(c *fiber.Ctx) error {
	p, err := s.settingsPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "admin/settings", p)
}

func (s *Server) handleSettingsSave(c *fiber.Ctx) error {
	p, err := s.settingsPage(c)
	if err != nil {
		return err
	}
	p.Form = settings.Input{Name: c.FormValue("name"), Street: c.FormValue("street"), Postcode: c.FormValue("postcode"),
		City: c.FormValue("city"), Country: c.FormValue("country"), VATID: c.FormValue("vat_id"), KvK: c.FormValue("kvk"),
		IBAN: c.FormValue("iban"), BIC: c.FormValue("bic"), Email: c.FormValue("email"), Phone: c.FormValue("phone"),
		Website: c.FormValue("website"), Cutoff: c.FormValue("cutoff")}
	if _, err := s.settings.Save(c.UserContext(), currentUser(c), p.Form); err != nil {
		return s.rerender(c, "admin/settings", p, err)
	}
	flash(c, i18n.M("Settings saved."))
	return c.Redirect("/admin/settings")
}

func (s *Server) handleReminderSettingsSave(c *fiber.Ctx) error {
	p, err := s.settingsPage(c)
	if err != nil {
		return err
	}
	p.ReminderForm = settings.ReminderInput{First: c.FormValue("reminder_1_days"), Second: c.FormValue("reminder_2_days")}
	if _, err := s.settings.SaveReminders(c.UserContext(), currentUser(c), p.ReminderForm); err != nil {
		return s.rerender(c, "admin/settings", p, err)
	}
	flash(c, i18n.M("Reminder days saved."))
	return c.Redirect("/admin/settings#reminders")
}

func (s *Server) handleReturnSettingsSave(c *fiber.Ctx) error {
	p, err := s.settingsPage(c)
	if err != nil {
		return err
	}
	p.ReturnsForm = settings.ReturnsInput{ArriveDays: c.FormValue("ra_arrive_days")}
	if _, err := s.settings.SaveReturns(c.UserContext(), currentUser(c), p.ReturnsForm); err != nil {
		return s.rerender(c, "admin/settings", p, err)
	}
	flash(c, i18n.M("Return days saved."))
	return c.Redirect("/admin/settings#returns")
}

func (s *Server) handleClosingDayAdd(c *fiber.Ctx) error {
	p, err := s.settingsPage(c)
	if err != nil {
		return err
	}
	p.DayForm = closingDayForm{Day: c.FormValue("day"), Reason: c.FormValue("reason")}
	day, msg := validate.ParseDate(p.DayForm.Day)
	if !validate.CheckLine(p.DayForm.Day, validate.ShortMax).IsZero() {
		msg = validate.CheckLine(p.DayForm.Day, validate.ShortMax)
	}
	if !msg.IsZero() {
		return s.rerender(c, "admin/settings", p, fieldErr("day", msg))
	}
	if _, err := s.settings.AddClosingDay(c.UserContext(), currentUser(c), day, p.DayForm.Reason); err != nil {
		return s.rerender(c, "admin/settings", p, err)
	}
	flash(c, i18n.M("%s is a closing day: no invoicing cutoff on it.", i18n.LongDate{T: day}))
	return c.Redirect("/admin/settings")
}

func (s *Server) handleClosingDayRemove(c *fiber.Ctx) error {
	day, err := time.Parse(time.DateOnly, c.Params("day"))
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.settings.RemoveClosingDay(c.UserContext(), currentUser(c), day); err != nil {
		p, perr := s.settingsPage(c)
		if perr != nil {
			return perr
		}
		return s.rerender(c, "admin/settings", p, err)
	}
	flash(c, i18n.M("%s is an ordinary day again.", i18n.LongDate{T: day}))
	return c.Redirect("/admin/settings")
}
