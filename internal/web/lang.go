package web

import (
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"wholesale/internal/i18n"
)

// The language of a request: a signed-in user's own choice (on /profile);
// for the public pages the switch's cookie, else the browser's
// Accept-Language, else Dutch. The JSON API answers in English unless
// asked for Dutch with Accept-Language.
const (
	langKey    = "lang"
	langCookie = "lang"
)

var langMatcher = language.NewMatcher([]language.Tag{language.Dutch, language.English})

// fromHeader is the language of an Accept-Language header among ours; ok
// is false when the header names neither.
func fromHeader(h string) (i18n.Lang, bool) {
	if h == "" {
		return "", false
	}
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil || len(tags) == 0 {
		return "", false
	}
	_, i, conf := langMatcher.Match(tags...)
	if conf == language.No {
		return "", false
	}
	return i18n.Langs[i], true
}

// chooseLang sets the request's language (after the session is loaded).
// A ?lang= switch on a public page is kept in a cookie.
func (s *Server) chooseLang(c *fiber.Ctx) error {
	c.Locals(langKey, requestLang(c))
	return c.Next()
}

func requestLang(c *fiber.Ctx) i18n.Lang {
	if isAPI(c) {
		if l, ok := fromHeader(c.Get(fiber.HeaderAcceptLanguage)); ok {
			return l
		}
		return i18n.EN
	}
	if u := currentUser(c); u != nil {
		return i18n.Lang(u.Language).Or(i18n.Default)
	}
	if l := i18n.Lang(c.Query("lang")); l.Valid() {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: "Lax", HTTPOnly: true})
		return l
	}
	if l := i18n.Lang(c.Cookies(langCookie)); l.Valid() {
		return l
	}
	if l, ok := fromHeader(c.Get(fiber.HeaderAcceptLanguage)); ok {
		return l
	}
	return i18n.Default
}

// langOf is the request's language (worked out here for an answer given
// before chooseLang ran).
func langOf(c *fiber.Ctx) i18n.Lang {
	if l, ok := c.Locals(langKey).(i18n.Lang); ok {
		return l
	}
	return requestLang(c)
}

// loc is the request's localizer.
func loc(c *fiber.Ctx) *i18n.Localizer { return i18n.For(langOf(c)) }

// tr is the message id with args in the request's language; id must be a
// string literal (the catalog test finds it).
func tr(c *fiber.Ctx, id string, args ...any) string {
	return loc(c).Text(i18n.Message{ID: id, Args: args})
}
