/* Input masks: digits become "+7 (900) 123-45-67", "15.05.1990", "112-233-445 95" as typed.
 *
 * <input data-mask="phone|date|snils|series|number|division">. One delegated capture-phase
 * listener, so inputs rendered later are covered and the value is set before React reads it;
 * it writes through the native value setter, so a controlled input's onChange still fires.
 * A static file loaded by a script tag: no inline script, no eval (the app's CSP). The server
 * checks every value again and accepts the digits alone; a mask is only a convenience.
 */
(function () {
  "use strict";
  var PATTERNS = {
    phone: "+7 (###) ###-##-##",
    date: "##.##.####",
    snils: "###-###-### ##",
    series: "## ##",
    number: "######",
    division: "###-###",
  };
  var nativeSet = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;

  // The phone's ten national digits: "+7" is ours; a leading 8 or 7 typed or pasted without
  // it is the country prefix (a Russian mobile starts with 9, never with 7 or 8).
  function phoneDigits(raw) {
    var s = raw.trim();
    if (s.indexOf("+7") === 0) return s.slice(2).replace(/\D/g, "");
    var d = s.replace(/\D/g, "");
    return d.charAt(0) === "8" || d.charAt(0) === "7" ? d.slice(1) : d;
  }

  function digitsOf(kind, raw) {
    return kind === "phone" ? phoneDigits(raw) : raw.replace(/\D/g, "");
  }

  function format(pattern, digits) {
    var out = "";
    for (var p = 0, i = 0; p < pattern.length && i < digits.length; p++) {
      out += pattern.charAt(p) === "#" ? digits.charAt(i++) : pattern.charAt(p);
    }
    return out;
  }

  function apply(el) {
    var kind = el.getAttribute("data-mask");
    var pattern = PATTERNS[kind];
    if (!pattern) return;
    var raw = el.value;
    var caret = el.selectionStart == null ? raw.length : el.selectionStart;
    var digits = digitsOf(kind, raw).slice(0, (pattern.match(/#/g) || []).length);
    var next = format(pattern, digits);
    if (kind === "phone" && !digits && /^\s*\+?[78]\s*$/.test(raw)) next = "+7 (";
    if (next === raw) return;
    var before = digitsOf(kind, raw.slice(0, caret)).length; // digits left of the caret
    nativeSet.call(el, next);
    var pos = next.length;
    if (before < digits.length) {
      // keep the caret after the same digits when editing in the middle
      pos = 0;
      for (var seen = 0; pos < next.length && seen < before; pos++) {
        if (pattern.charAt(pos) === "#") seen++;
      }
    }
    if (document.activeElement === el) el.setSelectionRange(pos, pos);
  }

  document.addEventListener(
    "input",
    function (e) {
      var el = e.target;
      if (el instanceof HTMLInputElement && el.hasAttribute("data-mask")) apply(el);
    },
    true,
  );
})();
