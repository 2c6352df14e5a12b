// The landing calculator's figures, worked out in the browser by the rule of
// credit7_web/lending/pricing.py (quote, standard_quote, single_payment_psk) and printed as
// credit7_web/money.py prints them (rub, percent): a slider step needs no server and the page
// ships a rule, not a table. The tariff's figures come in `rule`, written by pages/landing.py
// from credit7_web/tariff.py; tests/unit/test_pricing_js.py and tests/e2e/test_calculator.py
// hold every amount and term equal to the domain's, byte for byte.
//
// Integer arithmetic in BigInt: kopecks (interest rounded down, as the domain accrues it) and
// thousandths of a percent (ПСК rounded half-up), never a float.

const NBSP = "\u00a0";

function group(digits) {
  // "1234567" -> "1 234 567" with no-break spaces
  const head = digits.length % 3 || 3;
  const parts = [digits.slice(0, head)];
  for (let i = head; i < digits.length; i += 3) parts.push(digits.slice(i, i + 3));
  return parts.join(NBSP);
}

function halfUp(numerator, denominator) {
  // the nearest integer to numerator / denominator (both >= 0), halves up
  return (2n * numerator + denominator) / (2n * denominator);
}

export function rub(kopecks) {
  // 1234500 -> "12 345 ₽"; 12345 -> "123,45 ₽"
  const k = BigInt(kopecks);
  const sign = k < 0n ? "-" : "";
  const abs = k < 0n ? -k : k;
  const kop = abs % 100n;
  const text = group((abs / 100n).toString()) + (kop ? "," + kop.toString().padStart(2, "0") : "");
  return sign + text + NBSP + "₽";
}

function percent(thousandths) {
  // 292000n -> "292,000 %"
  const whole = thousandths / 1000n;
  const frac = (thousandths % 1000n).toString().padStart(3, "0");
  return group(whole.toString()) + "," + frac + NBSP + "%";
}

function pskThousandths(principal, total, days, daysInYear) {
  // (total / principal − 1) × daysInYear / days × 100, in thousandths of a percent
  return halfUp((total - principal) * daysInYear * 100n * 1000n, principal * days);
}

export function quote(amountRub, termDays, rule) {
  // The figures a first (or repeat) loan of `amountRub` for `termDays` shows on the landing.
  const principal = BigInt(Math.round(Number(amountRub))) * BigInt(rule.kopecksPerRuble);
  const days = BigInt(Math.round(Number(termDays)));
  const year = BigInt(rule.daysInYear);
  const cap = (principal * BigInt(rule.cap[0])) / BigInt(rule.cap[1]);
  // exact over the term, rounded down once (the domain's stretch_kop)
  const accrued = (principal * BigInt(rule.rate[0]) * days) / BigInt(rule.rate[1]);
  const interest = accrued < cap ? accrued : cap;
  const standard = principal + interest;
  const own = rule.promo ? 0n : interest;
  const total = principal + own;
  return {
    total: rub(total),
    psk: percent(pskThousandths(principal, total, days, year)),
    psk_rub: rub(own),
    std_total: rub(standard),
    std_psk: percent(pskThousandths(principal, standard, days, year)),
  };
}
