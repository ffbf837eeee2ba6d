package ident

import (
	"strings"

	"wholesale/internal/i18n"
)

// The checks of the member states from IE to SK, and of XI.

// ieLetters are the Irish check letters: W for 0, then A to V.
const ieLetters = "WABCDEFGHIJKLMNOPQRSTUV"

// ieCheck is the Irish check letter of 7 digits and the value of the
// letter that follows them (0 for none): weights 8…2 and 9, mod 23.
func ieCheck(digits string, extra int) byte {
	return ieLetters[(weighted(digits, 8, 7, 6, 5, 4, 3, 2)+9*extra)%23]
}

// checkIE checks a VAT number of IE: 7 digits, a check letter and since 2013
// a second letter; or the old form of a digit, a letter, + or *, 5 digits
// and a check letter.
func checkIE(n string) i18n.Message {
	if len(n) != 8 && len(n) != 9 || !isDigits(n[:1]) || !isDigits(n[2:7]) {
		return vatShape("IE")
	}
	for i := 7; i < len(n); i++ {
		if strings.IndexByte(ieLetters, n[i]) < 0 {
			return vatShape("IE")
		}
	}
	switch {
	case isDigits(n[:7]):
		extra := 0
		if len(n) == 9 {
			extra = strings.IndexByte(ieLetters, n[8])
		}
		if ieCheck(n[:7], extra) != n[7] {
			return badCheck()
		}
	case len(n) == 8 && (n[1] >= 'A' && n[1] <= 'Z' || n[1] == '+' || n[1] == '*'):
		if ieCheck("0"+n[2:7]+n[:1], 0) != n[7] {
			return badCheck()
		}
	default:
		return vatShape("IE")
	}
	return i18n.Message{}
}

// checkIT checks a VAT number of IT: 11 digits (partita IVA): a number, the
// office code (001 to 100, 120, 121, 888 or 999) and a Luhn check digit.
func checkIT(n string) i18n.Message {
	if len(n) != 11 || !isDigits(n) {
		return vatShape("IT")
	}
	if allZeros(n[:7]) {
		return i18n.M("The first 7 digits of an Italian VAT id are never all zeros.")
	}
	if office := atoi(n[7:10]); (office < 1 || office > 100) && office != 120 && office != 121 && office != 888 && office != 999 {
		return i18n.M("Digits 8 to 10 of an Italian VAT id are an office code: 001 to 100, 120, 121, 888 or 999.")
	}
	if luhnSum(n) != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// checkLT checks a VAT number of LT: 9 digits with 1 as the 8th (legal
// entities) or 12 digits with 1 as the 11th (PVM mokėtojo kodas); the check
// digit uses weights 1…9, 1, 2 mod 11, or weights 3…9, 1…4 when that leaves
// 10.
func checkLT(n string) i18n.Message {
	if !isDigits(n) || len(n) != 9 && len(n) != 12 {
		return vatShape("LT")
	}
	if len(n) == 9 && n[7] != '1' || len(n) == 12 && n[10] != '1' {
		return i18n.M("A Lithuanian VAT id has 1 as its second last digit.")
	}
	body := n[:len(n)-1]
	sum := 0
	for i := 0; i < len(body); i++ {
		sum += (1 + i%9) * digit(body[i])
	}
	check := sum % 11
	if check == 10 {
		sum = 0
		for i := 0; i < len(body); i++ {
			sum += (1 + (i+2)%9) * digit(body[i])
		}
		check = sum % 11
	}
	if check%10 != digit(n[len(n)-1]) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkLU checks a VAT number of LU: 8 digits, the last two the first six
// mod 89 (numéro TVA).
func checkLU(n string) i18n.Message {
	if len(n) != 8 || !isDigits(n) {
		return vatShape("LU")
	}
	if mod(n[:6], 89) != atoi(n[6:]) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkLV checks a VAT number of LV: 11 digits (PVN); for legal entities
// (first digit above 3) weights 9,1,4,8,3,10,2,5,7,6,1 leave 3 mod 11; a
// person's number starts with a date of birth and ends in a check digit
// (weights 10,5,8,4,2,1,6, 3,7,9, plus 1, mod 11), and the personal codes
// without a date issued since 2017 start with 32.
func checkLV(n string) i18n.Message {
	if len(n) != 11 || !isDigits(n) {
		return vatShape("LV")
	}
	if n[0] > '3' {
		if weighted(n, 9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1)%11 != 3 {
			return badCheck()
		}
		return i18n.Message{}
	}
	if !strings.HasPrefix(n, "32") && !validDate(1800+digit(n[6])*100+atoi(n[4:6]), atoi(n[2:4]), atoi(n[0:2])) {
		return badDate()
	}
	if (1+weighted(n, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9))%11%10 != digit(n[10]) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkMT checks a VAT number of MT: 8 digits, not starting with 0, weights
// 3,4,6,7,8,9,10,1 mod 37.
func checkMT(n string) i18n.Message {
	if len(n) != 8 || !isDigits(n) || n[0] == '0' {
		return vatShape("MT")
	}
	if weighted(n, 3, 4, 6, 7, 8, 9, 10, 1)%37 != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// fixNL puts back the leading zeros of the 9 digits of a Dutch VAT id (a
// fiscal number, RSIN or BSN, padded with zeros), which people leave off.
func fixNL(n string) string {
	if i := strings.IndexByte(n, 'B'); i > 0 && i < 9 && len(n) == i+3 && isDigits(n[:i]) {
		return strings.Repeat("0", 9-i) + n
	}
	return n
}

// checkNL checks a VAT number of NL: 9 digits (never all zeros), B and a
// 2-digit suffix 01 to 99; the digits pass the elfproef (numbers from the
// RSIN) or the whole id passes ISO 7064 MOD 97-10 (the numbers of sole
// traders since 2020).
func checkNL(n string) i18n.Message {
	if len(n) != 12 || !isDigits(n[:9]) || n[9] != 'B' || !isDigits(n[10:]) {
		return vatShape("NL")
	}
	if allZeros(n[:9]) {
		return i18n.M("The 9 digits of a Dutch VAT id are never all zeros.")
	}
	if n[10:] == "00" {
		return i18n.M("A Dutch VAT id never ends in B00: the suffix is B01 to B99.")
	}
	elf := (weighted(n, 9, 8, 7, 6, 5, 4, 3, 2) - digit(n[8])) % 11
	if elf != 0 && mod97("NL"+n) != 1 {
		return i18n.M("The check digits of this Dutch VAT id do not add up: please check it for typing errors.")
	}
	return i18n.Message{}
}

// checkPL checks a VAT number of PL: 10 digits (NIP), weights
// 6,5,7,2,3,4,5,6,7,-1 mod 11.
func checkPL(n string) i18n.Message {
	if len(n) != 10 || !isDigits(n) {
		return vatShape("PL")
	}
	if weighted(n, 6, 5, 7, 2, 3, 4, 5, 6, 7, -1)%11 != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// checkPT checks a VAT number of PT: 9 digits (NIF), not starting with 0,
// weights 9…2 mod 11.
func checkPT(n string) i18n.Message {
	if len(n) != 9 || !isDigits(n) || n[0] == '0' {
		return vatShape("PT")
	}
	if (11-weighted(n, 9, 8, 7, 6, 5, 4, 3, 2)%11)%11%10 != digit(n[8]) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkRO checks a VAT number of RO: 2 to 10 digits (CUI/CIF), not starting
// with 0; the check digit uses weights 7,5,3,2,1,7,5,3,2 on the number
// padded to 9 digits. A person may use the 13-digit CNP.
func checkRO(n string) i18n.Message {
	if len(n) == 13 && isDigits(n) {
		return checkCNP(n)
	}
	if len(n) < 2 || len(n) > 10 || !isDigits(n) || n[0] == '0' {
		return vatShape("RO")
	}
	body := strings.Repeat("0", 10-len(n)) + n[:len(n)-1]
	if 10*weighted(body, 7, 5, 3, 2, 1, 7, 5, 3, 2)%11%10 != digit(n[len(n)-1]) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkCNP checks a Romanian personal numeric code: sex and century, a date
// of birth, county and serial, and a check digit (weights
// 2,7,9,1,4,6,3,5,8,2,7,9 mod 11, 1 for 10).
func checkCNP(n string) i18n.Message {
	if n[0] == '0' {
		return vatShape("RO")
	}
	century := map[byte]int{'1': 1900, '2': 1900, '3': 1800, '4': 1800, '5': 2000, '6': 2000}[n[0]]
	if century == 0 {
		century = 1900
	}
	if !validDate(century+atoi(n[1:3]), atoi(n[3:5]), atoi(n[5:7])) {
		return badDate()
	}
	check := weighted(n, 2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9) % 11
	if check == 10 {
		check = 1
	}
	if check != digit(n[12]) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkSE checks a VAT number of SE: the 10-digit organisation number (Luhn)
// and 01.
func checkSE(n string) i18n.Message {
	if len(n) != 12 || !isDigits(n) || n[10:] != "01" {
		return vatShape("SE")
	}
	if luhnSum(n[:10]) != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// checkSI checks a VAT number of SI: 8 digits (ID za DDV), not starting with
// 0, weights 8…2 mod 11.
func checkSI(n string) i18n.Message {
	if len(n) != 8 || !isDigits(n) || n[0] == '0' {
		return vatShape("SI")
	}
	check := 11 - weighted(n, 8, 7, 6, 5, 4, 3, 2)%11
	if check == 10 {
		check = 0
	}
	if check != digit(n[7]) {
		return badCheck()
	}
	return i18n.Message{}
}

// checkSK checks a VAT number of SK: 10 digits (IČ DPH): a birth number, or
// a number not starting with 0, with 2, 3, 4, 7, 8 or 9 as its third digit,
// divisible by 11.
func checkSK(n string) i18n.Message {
	if len(n) != 10 || !isDigits(n) {
		return vatShape("SK")
	}
	if checkBirthNumber(n).IsZero() {
		return i18n.Message{}
	}
	if n[0] == '0' || strings.IndexByte("234789", n[2]) < 0 {
		return vatShape("SK")
	}
	if mod(n, 11) != 0 {
		return badCheck()
	}
	return i18n.Message{}
}

// checkXI checks a VAT number of XI: a UK VAT registration number as
// Northern Ireland traders use it: 9 digits (or 12 for a branch) with
// weights 8…2, 10, 1 leaving 0 mod 97 (or 42 or 55 for the numbers issued
// since 2010, from 100 up); GD and 3 digits below 500 for a government
// department, HA and 3 digits from 500 for a health authority, or their
// 11-character GD8888/HA8888 forms with 2 check digits.
func checkXI(n string) i18n.Message {
	switch {
	case len(n) == 5 && (n[:2] == "GD" || n[:2] == "HA") && isDigits(n[2:]),
		len(n) == 11 && (n[:6] == "GD8888" || n[:6] == "HA8888") && isDigits(n[6:]):
		dept := atoi(n[len(n)-3:])
		if len(n) == 11 {
			dept = atoi(n[6:9])
		}
		if n[:2] == "GD" && dept >= 500 || n[:2] == "HA" && dept < 500 {
			return i18n.M("A government department's number is GD000 to GD499; a health authority's HA500 to HA999.")
		}
		if len(n) == 11 && dept%97 != atoi(n[9:]) {
			return badCheck()
		}
	case (len(n) == 9 || len(n) == 12) && isDigits(n):
		sum := weighted(n, 8, 7, 6, 5, 4, 3, 2, 10, 1) % 97
		if sum != 0 && (atoi(n[:3]) < 100 || sum != 42 && sum != 55) {
			return badCheck()
		}
	default:
		return vatShape("XI")
	}
	return i18n.Message{}
}
