package catalog

import (
	"net/url"
	"strings"
	"wholesale/internal/i18n"

	"wholesale/internal/apperr"
	"wholesale/internal/validate"
)

// WebMax is the longest web address of a service centre.
const WebMax = 500

// Validate normalises a service centre and returns a message per wrong
// field: brand and name are required lines of at most validate.NameMax
// characters, the address a line of as many; the phone a short line; the
// e-mail address and the web address (http:// or https://, at most WebMax
// characters) may be empty.
func (sc *ServiceCentre) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	sc.Brand, sc.Name, sc.Address = strings.TrimSpace(sc.Brand), strings.TrimSpace(sc.Name), strings.TrimSpace(sc.Address)
	sc.Phone, sc.Email, sc.Web = strings.TrimSpace(sc.Phone), validate.Lower(strings.TrimSpace(sc.Email)), strings.TrimSpace(sc.Web)
	if sc.Brand == "" {
		fe.Add("brand", i18n.M("Enter the brand."))
	}
	if sc.Name == "" {
		fe.Add("name", i18n.M("Enter the service centre's name."))
	}
	validate.Line(fe, "brand", sc.Brand, validate.NameMax)
	validate.Line(fe, "name", sc.Name, validate.NameMax)
	validate.Line(fe, "address", sc.Address, validate.NameMax)
	validate.Line(fe, "phone", sc.Phone, validate.ShortMax)
	validate.Email(fe, "email", sc.Email)
	if validate.Line(fe, "web", sc.Web, WebMax) && sc.Web != "" {
		if u, err := url.Parse(sc.Web); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			fe.Add("web", i18n.M("Enter the web address in full, starting with https://."))
		}
	}
	return fe
}
