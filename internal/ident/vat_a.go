package ident

import (
	"strings"

	"wholesale/internal/i18n"
)

// The checks of the member states from AT to HU. Each takes the number
// after the prefix, already cleaned, and says what is wrong with it.

// checkAT checks a VAT number of AT: U and 8 digits, the last a Luhn-based
// check digit (Umsatzsteuer-Identifikationsnummer, BMF).
func checkAT(n string) i18n.Message {
	if len(n) != 9 || n[0] != 'U' || !isDigits(n[1:]) {
		return vatShape("AT")
	}
	if (6-luhnSum(n[1:8])+10)%10 != digit(n[8]) {
		return badCheck()
	}
	return i18n.Message{}
}

// fixBE puts back the leading 0 of the old 9-digit Belgian numbers.
func fixBE(n string) string {
	if len(n) == 9 && isDigits(n) {
		return "0" + n
	}
	return n
}

// checkBE checks a VAT number of BE: 10 digits starting with 0 or 1; the
// last two are 97 minus the first eight mod 97 (ondernemingsnummer).
func checkBE(n string) i18n.Message {
	if len(n) != 10 || !isDigits(n) || n[0] > '1' {
		return vatShape("BE")
	}
	if (mod(n[:8], 97)+atoi(n[8:]))%97 != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// checkBG checks a VAT number of BG: 9 digits for legal entities (weights
// 1…8, else 3…10, mod 11); 10 digits for persons: an EGN (with its date of
// birth), a PNF, or the rule for others (weights 4,3,2,7,6,5,4,3,2 mod 11).
func checkBG(n string) i18n.Message {
	if !isDigits(n) || len(n) != 9 && len(n) != 10 {
		return vatShape("BG")
	}
	if len(n) == 9 {
		check := weighted(n, 1, 2, 3, 4, 5, 6, 7, 8) % 11
		if check == 10 {
			check = weighted(n, 3, 4, 5, 6, 7, 8, 9, 10) % 11
		}
		if check%10 != digit(n[8]) {
			return badCheck()
		}
		return i18n.Message{}
	}
	last := digit(n[9])
	egn := weighted(n, 2, 4, 8, 5, 10, 9, 7, 3, 6)%11%10 == last && bgBirthDate(n)
	pnf := weighted(n, 21, 19, 17, 13, 11, 9, 7, 3, 1)%10 == last
	other := (11-weighted(n, 4, 3, 2, 7, 6, 5, 4, 3, 2)%11)%11 == last
	if !egn && !pnf && !other {
		return badCheck()
	}
	return i18n.Message{}
}

// bgBirthDate reports whether the EGN n starts with a date of birth (the
// month plus 40 after 1999, plus 20 before 1900).
func bgBirthDate(n string) bool {
	year, month, day := 1900+atoi(n[0:2]), atoi(n[2:4]), atoi(n[4:6])
	switch {
	case month > 40:
		year, month = year+100, month-40
	case month > 20:
		year, month = year-100, month-20
	}
	return validDate(year, month, day)
}

// checkCY checks a VAT number of CY: 8 digits (never starting with 12) and a
// check letter.
func checkCY(n string) i18n.Message {
	if len(n) != 9 || !isDigits(n[:8]) || n[8] < 'A' || n[8] > 'Z' {
		return vatShape("CY")
	}
	if n[:2] == "12" {
		return i18n.M("A Cypriot VAT id never starts with 12.")
	}
	odd := [10]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21}
	sum := 0
	for i := 0; i < 8; i++ {
		if i%2 == 0 {
			sum += odd[digit(n[i])]
		} else {
			sum += digit(n[i])
		}
	}
	if byte('A'+sum%26) != n[8] {
		return badCheck()
	}
	return i18n.Message{}
}

// checkCZ checks a VAT number of CZ: 8 digits for legal entities (never
// starting with 9), 9 digits starting with 6 for special cases, or a 9- or
// 10-digit birth number (rodné číslo) for persons (DIČ).
func checkCZ(n string) i18n.Message {
	if !isDigits(n) || len(n) < 8 || len(n) > 10 {
		return vatShape("CZ")
	}
	switch {
	case len(n) == 8:
		if n[0] == '9' {
			return i18n.M("An 8-digit Czech VAT id never starts with 9.")
		}
		check := (11 - weighted(n, 8, 7, 6, 5, 4, 3, 2)%11) % 11
		if check == 0 {
			check = 1
		}
		if check%10 != digit(n[7]) {
			return badCheck()
		}
	case len(n) == 9 && n[0] == '6':
		sum := weighted(n[1:], 8, 7, 6, 5, 4, 3, 2) % 11
		if (8-(10-sum)%11+10)%10 != digit(n[8]) {
			return badCheck()
		}
	default:
		return checkBirthNumber(n)
	}
	return i18n.Message{}
}

// checkBirthNumber checks a Czech or Slovak birth number: a date (women's
// months plus 50, plus 20 when the serials ran out), 9 digits until 1953,
// after that 10 digits that are divisible by 11 (before 1985 the check digit
// could be 0 where the rest leaves 10).
func checkBirthNumber(n string) i18n.Message {
	year, month, day := 1900+atoi(n[0:2]), atoi(n[2:4])%50%20, atoi(n[4:6])
	if len(n) == 9 {
		if year >= 1980 {
			year -= 100
		}
		if year > 1953 {
			return i18n.M("A birth number issued after 1953 has 10 digits.")
		}
	} else if year < 1954 {
		year += 100
	}
	if !validDate(year, month, day) {
		return badDate()
	}
	if len(n) == 10 {
		check := mod(n[:9], 11)
		if year < 1985 {
			check %= 10
		}
		if check != digit(n[9]) {
			return badCheck()
		}
	}
	return i18n.Message{}
}

// checkDE checks a VAT number of DE: 9 digits, not starting with 0, ISO 7064
// MOD 11,10 (Umsatzsteuer-Identifikationsnummer, BZSt).
func checkDE(n string) i18n.Message {
	if len(n) != 9 || !isDigits(n) || n[0] == '0' {
		return vatShape("DE")
	}
	if !mod11_10(n) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkDK checks a VAT number of DK: 8 digits, not starting with 0, weights
// 2,7,6,5,4,3,2,1 mod 11 (CVR).
func checkDK(n string) i18n.Message {
	if len(n) != 8 || !isDigits(n) || n[0] == '0' {
		return vatShape("DK")
	}
	if weighted(n, 2, 7, 6, 5, 4, 3, 2, 1)%11 != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// checkEE checks a VAT number of EE: 9 digits, weights 3,7,1 mod 10 (KMKR).
func checkEE(n string) i18n.Message {
	if len(n) != 9 || !isDigits(n) {
		return vatShape("EE")
	}
	if weighted(n, 3, 7, 1, 3, 7, 1, 3, 7, 1)%10 != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// fixEL puts back the leading 0 of the old 8-digit Greek numbers.
func fixEL(n string) string {
	if len(n) == 8 && isDigits(n) {
		return "0" + n
	}
	return n
}

// checkEL checks a VAT number of EL: 9 digits, the last the sum of the
// others times powers of 2, mod 11, mod 10 (ΑΦΜ).
func checkEL(n string) i18n.Message {
	if len(n) != 9 || !isDigits(n) {
		return vatShape("EL")
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum = sum*2 + digit(n[i])
	}
	if sum*2%11%10 != digit(n[8]) {
		return badCheck()
	}
	return i18n.Message{}
}

// dniLetters are the check letters of a Spanish DNI: the number mod 23.
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// checkES checks a VAT number of ES: a NIF of 9 characters: a DNI (8 digits
// and a check letter), a NIE (X, Y or Z, 7 digits and the check letter), K,
// L or M with the DNI rule, or a CIF of a company (a letter for its kind, 7
// digits and a Luhn-based check digit or letter).
func checkES(n string) i18n.Message {
	if len(n) != 9 || !isDigits(n[1:8]) {
		return vatShape("ES")
	}
	first, last := n[0], n[8]
	switch {
	case first >= '0' && first <= '9':
		if dniLetters[mod(n[:8], 23)] != last {
			return badCheck()
		}
	case strings.IndexByte("KLM", first) >= 0:
		if dniLetters[mod(n[1:8], 23)] != last {
			return badCheck()
		}
	case strings.IndexByte("XYZ", first) >= 0:
		if dniLetters[mod(string('0'+first-'X')+n[1:8], 23)] != last {
			return badCheck()
		}
	case strings.IndexByte("ABCDEFGHJNPQRSUVW", first) >= 0:
		check := (10 - luhnSum(n[1:8]+"0")) % 10
		if last != byte('0'+check) && last != "JABCDEFGHI"[check] {
			return badCheck()
		}
	default:
		return i18n.M("A Spanish VAT id starts with a digit or one of the letters A–H, J–N, P–S and U–Z.")
	}
	return i18n.Message{}
}

// checkFI checks a VAT number of FI: 8 digits, weights 7,9,10,5,8,4,2,1 mod
// 11 (ALV).
func checkFI(n string) i18n.Message {
	if len(n) != 8 || !isDigits(n) {
		return vatShape("FI")
	}
	if weighted(n, 7, 9, 10, 5, 8, 4, 2, 1)%11 != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// frAlphabet are the characters of the two French check characters (no I
// or O).
const frAlphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// checkFR checks a VAT number of FR: 2 check characters and the 9-digit
// SIREN (with its Luhn check digit, unless it is a number of Monaco, 000…);
// the check characters are (SIREN×100 + 12) mod 97 when they are digits, the
// "new" formula when one is a letter (numéro de TVA intracommunautaire).
func checkFR(n string) i18n.Message {
	if len(n) != 11 || !isDigits(n[2:]) || strings.IndexByte(frAlphabet, n[0]) < 0 || strings.IndexByte(frAlphabet, n[1]) < 0 {
		return vatShape("FR")
	}
	if n[2:5] != "000" && luhnSum(n[2:]) != 0 {
		return badCheck()
	}
	if isDigits(n[:2]) {
		if atoi(n[:2]) != mod(n[2:]+"12", 97) {
			return badCheck()
		}
		return i18n.Message{}
	}
	var check int
	if isDigits(n[:1]) {
		check = strings.IndexByte(frAlphabet, n[0])*24 + strings.IndexByte(frAlphabet, n[1]) - 10
	} else {
		check = strings.IndexByte(frAlphabet, n[0])*34 + strings.IndexByte(frAlphabet, n[1]) - 100
	}
	if (mod(n[2:], 11)+1+check/11)%11 != check%11 {
		return badCheck()
	}
	return i18n.Message{}
}

// checkHR checks a VAT number of HR: 11 digits (OIB), ISO 7064 MOD 11,10.
func checkHR(n string) i18n.Message {
	if len(n) != 11 || !isDigits(n) {
		return vatShape("HR")
	}
	if !mod11_10(n) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkHU checks a VAT number of HU: 8 digits, weights 9,7,3,1 mod 10
// (ANUM).
func checkHU(n string) i18n.Message {
	if len(n) != 8 || !isDigits(n) {
		return vatShape("HU")
	}
	if weighted(n, 9, 7, 3, 1, 9, 7, 3, 1)%10 != 0 {
		return badCheck()
	}
	return i18n.Message{}
}
