package ident

// nationalChecks are the national check digits inside the account part
// (BBAN) of the countries that have them, as the central banks publish
// them. Each takes the account part, whose structure is already checked.
var nationalChecks = map[string]func(bban string) bool{
	"AL": checkPolishStyle, // bank, branch and a check digit: weights 9,7,3,1
	"BA": mod97is1, "ME": mod97is1, "MK": mod97is1, "RS": mod97is1, "SI": mod97is1, "TL": mod97is1,
	"PT": mod97is1,
	"BE": checkBelgianAccount,
	"CZ": checkCzechAccount, "SK": checkCzechAccount,
	"EE": checkEstonianAccount,
	"ES": checkSpanishAccount,
	"FI": func(b string) bool { return luhnSum(b) == 0 },
	"FR": checkRIB, "MC": checkRIB,
	"HR": func(b string) bool { return mod11_10(b[:7]) && mod11_10(b[7:]) },
	"HU": checkHungarianAccount,
	"IS": checkIcelandicAccount,
	"IT": checkCIN, "SM": checkCIN,
	"NO": checkNorwegianAccount,
	"PL": func(b string) bool { return weighted(b, 3, 9, 7, 1, 3, 9, 7, 1)%10 == 0 },
}

// mod97is1 checks ISO 7064 MOD 97-10 over the whole account part: its last
// two digits make it leave 1 mod 97 (letters counting A=10 … Z=35).
func mod97is1(b string) bool { return mod97(b) == 1 }

// checkPolishStyle checks that the first 8 digits (bank, branch, check
// digit) with weights 9,7,3,1 add up to a multiple of 10.
func checkPolishStyle(b string) bool { return weighted(b, 9, 7, 3, 1, 9, 7, 3, 1)%10 == 0 }

// checkBelgianAccount checks that the last 2 digits are the first 10 mod 97
// (97 for 0).
func checkBelgianAccount(b string) bool {
	check := mod(b[:10], 97)
	if check == 0 {
		check = 97
	}
	return check == atoi(b[10:])
}

// checkCzechAccount checks that the prefix (6 digits) and the account number
// (10 digits) after the bank code each pass the weights 6,3,7,9,10,5,8,4,2,1
// mod 11 (Czech and Slovak national bank decrees).
func checkCzechAccount(b string) bool {
	return weighted(b[4:10], 10, 5, 8, 4, 2, 1)%11 == 0 &&
		weighted(b[10:], 6, 3, 7, 9, 10, 5, 8, 4, 2, 1)%11 == 0
}

// checkEstonianAccount checks that, after the 2-digit bank code, the account
// number's last digit makes the weights 7,3,1 (from the right) a multiple of
// 10.
func checkEstonianAccount(b string) bool {
	acct := b[2:]
	sum := 0
	for i := len(acct) - 2; i >= 0; i-- {
		sum += []int{7, 3, 1}[(len(acct)-2-i)%3] * digit(acct[i])
	}
	return (10-sum%10)%10 == digit(acct[len(acct)-1])
}

// checkSpanishAccount checks the two control digits (dígitos de control) of
// the CCC: one over bank and branch, one over the account number, weights
// 2^i mod 11.
func checkSpanishAccount(b string) bool {
	digitOf := func(s string) int {
		sum := 0
		for i, w := 0, 1; i < len(s); i, w = i+1, w*2 {
			sum += w * digit(s[i])
		}
		if check := sum % 11; check >= 2 {
			return 11 - check
		} else {
			return check
		}
	}
	return digitOf("00"+b[:8]) == digit(b[8]) && digitOf(b[10:]) == digit(b[9])
}

// checkRIB checks the French clé RIB: 97 minus (89 × bank + 15 × branch + 3
// × account) mod 97, the account's letters counting A–I 1–9, J–R 1–9 and S–Z
// 2–9.
func checkRIB(b string) bool {
	acct := 0
	for i := 10; i < 21; i++ {
		v := 0
		switch c := b[i]; {
		case c >= '0' && c <= '9':
			v = digit(c)
		case c <= 'I':
			v = int(c-'A') + 1
		case c <= 'R':
			v = int(c-'J') + 1
		default:
			v = int(c-'S') + 2
		}
		acct = (acct*10 + v) % 97
	}
	return 97-(89*mod(b[:5], 97)+15*mod(b[5:10], 97)+3*acct)%97 == atoi(b[21:])
}

// checkHungarianAccount checks that the 8 digits of bank and branch and the
// 16 of the account each pass the weights 9,7,3,1 mod 10.
func checkHungarianAccount(b string) bool {
	return weighted(b, 9, 7, 3, 1, 9, 7, 3, 1)%10 == 0 &&
		weighted(b[8:], 9, 7, 3, 1, 9, 7, 3, 1, 9, 7, 3, 1, 9, 7, 3, 1)%10 == 0
}

// checkIcelandicAccount checks the holder's kennitala, the last 10 digits,
// whose 9th digit is its check digit (weights 3,2,7,6,5,4,3,2 mod 11).
func checkIcelandicAccount(b string) bool {
	kt := b[12:]
	check := 11 - weighted(kt, 3, 2, 7, 6, 5, 4, 3, 2)%11
	if check == 11 {
		check = 0
	}
	return check == digit(kt[8])
}

// cinOdd are the values of the characters in the odd positions of the
// Italian CIN: digits as the letters A to J.
var cinOdd = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// checkCIN checks the Italian (and San Marino) CIN, the letter before ABI,
// CAB and the account: odd positions by cinOdd, even ones by their value,
// mod 26.
func checkCIN(b string) bool {
	sum := 0
	for i := 1; i < 23; i++ {
		v := int(b[i] - 'A')
		if b[i] <= '9' {
			v = digit(b[i])
		}
		if i%2 == 1 {
			sum += cinOdd[v]
		} else {
			sum += v
		}
	}
	return byte('A'+sum%26) == b[0]
}

// checkNorwegianAccount checks 11 digits whose last is the weights
// 6,7,8,9,4,5,6,7,8,9 mod 11, or for the old Postgiro numbers (0000 and 7
// digits) a Luhn check digit.
func checkNorwegianAccount(b string) bool {
	if b[:4] == "0000" {
		return luhnSum(b[4:]) == 0
	}
	return weighted(b, 6, 7, 8, 9, 4, 5, 6, 7, 8, 9)%11 == digit(b[10])
}
