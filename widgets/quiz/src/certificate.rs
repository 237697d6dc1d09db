//! The course certificate: a one-page A4 landscape PDF written directly (the PDF format's
//! standard Helvetica fonts need no embedding, which keeps this small enough for the browser),
//! with the learner's name, the date, each module's best quiz score and a verification code
//! derived from all three. It says plainly that it is self-assessed.

use crate::progress::{PASS, Progress};
use widget_core::format::fixed;

/// A module the certificate lists: its folder and title.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Module {
    pub folder: String,
    pub title: String,
}

/// The certificate for `name` on `date`, or why there is none yet.
pub fn pdf(progress: &Progress, modules: &[Module], name: &str, date: &str) -> Result<Vec<u8>, String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 60 {
        return Err("Type your name as it should appear (1 to 60 characters).".into());
    }
    if let Some(c) = name.chars().find(|&c| winansi(c).is_none() || (c as u32) < 32) {
        return Err(format!("The certificate can print Latin letters, accents and common punctuation; `{c}` cannot be printed yet."));
    }
    if modules.is_empty() {
        return Err("There are no module quizzes yet.".into());
    }
    let mut scores = vec![];
    let mut missing = vec![];
    for m in modules {
        match progress.quizzes.get(&m.folder) {
            Some(r) if r.best >= PASS => scores.push((m, r.best)),
            _ => missing.push(m.title.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(format!("Pass every module quiz at 80% or more first. Still to pass: {}.", missing.join(", ")));
    }
    let code = code(&name, date, &scores.iter().map(|(m, s)| (m.folder.as_str(), *s)).collect::<Vec<_>>());
    Ok(write(&name, date, &scores, &code))
}

/// `SDP-XXXX-XXXX`: a hash of the name, date and scores (rounded to whole percent).
pub fn code(name: &str, date: &str, scores: &[(&str, f64)]) -> String {
    let mut text = format!("{name}|{date}");
    for (folder, s) in scores {
        text.push_str(&format!("|{folder}:{}", (s * 100.0).round() as u32));
    }
    let h = widget_core::rng::hash64(&text);
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32
    let c: String = (0..8).map(|i| ALPHABET[((h >> (i * 5)) & 31) as usize] as char).collect();
    format!("SDP-{}-{}", &c[..4], &c[4..])
}

const W: f64 = 841.89;
const H: f64 = 595.28;

fn write(name: &str, date: &str, scores: &[(&Module, f64)], code: &str) -> Vec<u8> {
    let mut s = String::new();
    // Frame.
    s.push_str("0.11 0.29 0.49 RG 2.5 w 28 28 785.89 539.28 re S 0.6 w 36 36 769.89 523.28 re S\n");
    let mut text = |font: &str, size: f64, y: f64, t: &str, rgb: &str| {
        let bold = font == "F2";
        let x = (W - width(t, bold) * size / 1000.0) / 2.0;
        s.push_str(&format!("BT {rgb} rg /{font} {} Tf 1 0 0 1 {} {} Tm ({}) Tj ET\n", fixed(size, 1), fixed(x, 2), fixed(y, 2), escape(t)));
    };
    let ink = "0.13 0.14 0.16";
    let brand = "0.11 0.29 0.49";
    text("F2", 11.0, 520.0, "SYSTEM DESIGN PLATFORM", brand);
    text("F2", 30.0, 470.0, "Certificate of completion", ink);
    text("F1", 13.0, 435.0, "This certifies that", ink);
    text("F2", 28.0, 395.0, name, brand);
    text("F1", 12.5, 362.0, "passed every end-of-module quiz of the System Design Platform course at 80% or better,", ink);
    text("F1", 12.5, 345.0, "with these best scores:", ink);
    // Scores, in one or two columns.
    let rows: Vec<String> = scores.iter().map(|(m, sc)| format!("{}  {}%", m.title, (sc * 100.0).round() as u32)).collect();
    let per_col = rows.len().div_ceil(if rows.len() > 5 { 2 } else { 1 });
    for (i, row) in rows.iter().enumerate() {
        let (col, line) = (i / per_col, i % per_col);
        let cols = rows.len().div_ceil(per_col);
        let x = if cols == 1 { (W - width(row, false) * 11.0 / 1000.0) / 2.0 } else { 150.0 + col as f64 * 300.0 };
        s.push_str(&format!("BT {ink} rg /F1 11 Tf 1 0 0 1 {} {} Tm ({}) Tj ET\n", fixed(x, 2), fixed(315.0 - line as f64 * 17.0, 2), escape(row)));
    }
    let mut text = |font: &str, size: f64, y: f64, t: &str, rgb: &str| {
        let x = (W - width(t, font == "F2") * size / 1000.0) / 2.0;
        s.push_str(&format!("BT {rgb} rg /{font} {} Tf 1 0 0 1 {} {} Tm ({}) Tj ET\n", fixed(size, 1), fixed(x, 2), fixed(y, 2), escape(t)));
    };
    text("F1", 12.0, 150.0, &format!("Date: {date}        Verification code: {code}"), ink);
    text("F2", 10.0, 112.0, "Self-assessed.", brand);
    text("F1", 9.5, 97.0, "The quizzes were taken in the learner's own browser, without supervision; this is not an accredited qualification.", ink);
    text("F1", 9.5, 84.0, "The verification code is derived from the name, date and scores shown, so a change to any of them changes the code.", ink);

    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>", fixed(W, 2), fixed(H, 2)),
        format!("<< /Length {} >>\nstream\n{s}endstream", encode(&s).len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Title (Certificate of completion: {}) /Author (System Design Platform) /Subject (Self-assessed certificate, {date}, {code}) /Creator (sdp) >>", escape(name)),
    ];
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = vec![];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(encode(body));
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer\n<< /Size {} /Root 1 0 R /Info 7 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    out
}

/// Text as WinAnsi bytes (every character was checked by [`winansi`] or is ASCII).
fn encode(s: &str) -> Vec<u8> {
    s.chars().map(|c| if c == '\n' { b'\n' } else { winansi(c).unwrap_or(b'?') }).collect()
}

/// A PDF string body: `( ) \` escaped.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '(' | ')' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The byte for `c` in the PDF's WinAnsiEncoding, if it has one.
fn winansi(c: char) -> Option<u8> {
    let u = c as u32;
    match u {
        0x20..=0x7E | 0xA0..=0xFF => Some(u as u8),
        _ => {
            const HIGH: &[(char, u8)] = &[
                ('€', 0x80), ('‚', 0x82), ('ƒ', 0x83), ('„', 0x84), ('…', 0x85), ('†', 0x86), ('‡', 0x87), ('ˆ', 0x88), ('‰', 0x89),
                ('Š', 0x8A), ('‹', 0x8B), ('Œ', 0x8C), ('Ž', 0x8E), ('‘', 0x91), ('’', 0x92), ('“', 0x93), ('”', 0x94), ('•', 0x95),
                ('–', 0x96), ('—', 0x97), ('˜', 0x98), ('™', 0x99), ('š', 0x9A), ('›', 0x9B), ('œ', 0x9C), ('ž', 0x9E), ('Ÿ', 0x9F),
            ];
            HIGH.iter().find(|(ch, _)| *ch == c).map(|(_, b)| *b)
        }
    }
}

/// Width of `s` in thousandths of the font size, from Helvetica's published metrics (AFM).
fn width(s: &str, bold: bool) -> f64 {
    const REGULAR: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
        278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
        611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,
        556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ];
    const BOLD: [u16; 95] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
        333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667,
        611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889,
        611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ];
    let table = if bold { &BOLD } else { &REGULAR };
    s.chars().map(|c| (c as u32).checked_sub(32).and_then(|i| table.get(i as usize)).map_or(556.0, |w| f64::from(*w))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date;

    fn modules() -> Vec<Module> {
        vec![Module { folder: "01-foundations".into(), title: "Foundations".into() }, Module { folder: "02-networking".into(), title: "Networking".into() }]
    }

    fn passed() -> Progress {
        let mut p = Progress::default();
        let today = date::parse("2026-11-27").unwrap();
        p.finish_quiz("01-foundations", 0.9, today);
        p.finish_quiz("02-networking", 0.8, today);
        p
    }

    #[test]
    fn refused_until_every_quiz_is_passed() {
        let mut p = passed();
        p.quizzes.get_mut("02-networking").unwrap().best = 0.79;
        let e = pdf(&p, &modules(), "Ada Lovelace", "2026-11-27").unwrap_err();
        assert!(e.contains("Still to pass: Networking"), "{e}");
        assert!(pdf(&Progress::default(), &modules(), "Ada", "2026-11-27").is_err());
    }

    #[test]
    fn names_are_checked() {
        for bad in ["", "   ", "漢字", &"x".repeat(61), "a\u{7}b"] {
            assert!(pdf(&passed(), &modules(), bad, "2026-11-27").is_err(), "{bad:?}");
        }
        assert!(pdf(&passed(), &modules(), "José Núñez-O'Brien (Ph.D.)", "2026-11-27").is_ok());
    }

    fn find(hay: &[u8], needle: &str) -> usize {
        hay.windows(needle.len()).position(|w| w == needle.as_bytes()).unwrap_or_else(|| panic!("{needle} not found"))
    }

    #[test]
    fn the_pdf_is_well_formed_and_says_what_it_is() {
        let bytes = pdf(&passed(), &modules(), "José (Ada) Lovelace", "2026-11-27").unwrap();
        assert!(bytes.starts_with(b"%PDF-1.4") && bytes.ends_with(b"%%EOF\n"));
        // The name escaped and in WinAnsi: é is the single byte 0xE9.
        assert!(bytes.windows(5).any(|w| w == b"Jos\xe9 "));
        find(&bytes, "\\(Ada\\) Lovelace) Tj");
        for t in ["Self-assessed", "Foundations  90%", "Networking  80%", "SDP-"] {
            find(&bytes, t);
        }
        let after_length = &bytes[find(&bytes, "/Length ") + 8..];
        let length: usize = String::from_utf8_lossy(&after_length[..after_length.iter().position(|&b| b == b' ').unwrap()]).parse().unwrap();
        let start = find(&bytes, ">>\nstream\n") + 10;
        let end = find(&bytes, "endstream");
        assert_eq!(length, end - start, "the stream's /Length counts its bytes");
        // Every xref offset points at its object.
        let xref = find(&bytes, "xref\n");
        let tail = String::from_utf8_lossy(&bytes[xref..]).into_owned();
        let startxref: usize = tail.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert_eq!(startxref, xref);
        for (i, line) in tail.lines().skip(3).take(7).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(bytes[offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()), "object {}", i + 1);
        }
    }

    #[test]
    fn the_code_changes_with_name_date_or_scores() {
        let a = code("Ada", "2026-11-27", &[("01-a", 0.9)]);
        assert!(a.starts_with("SDP-") && a.len() == 13);
        assert_eq!(a, code("Ada", "2026-11-27", &[("01-a", 0.9)]));
        assert_ne!(a, code("Adb", "2026-11-27", &[("01-a", 0.9)]));
        assert_ne!(a, code("Ada", "2026-11-28", &[("01-a", 0.9)]));
        assert_ne!(a, code("Ada", "2026-11-27", &[("01-a", 0.91)]));
    }
}
