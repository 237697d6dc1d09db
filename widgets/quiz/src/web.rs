//! The browser's side: functions `templates/static/quiz.js` calls, taking and returning JSON
//! text. Stored progress is re-checked on every call, so a hand-edited store cannot do harm.

use crate::certificate::{self, Module};
use crate::date;
use crate::key::{Answer, Key};
use crate::progress::Progress;
use wasm_bindgen::prelude::*;

fn day(today: &str) -> Result<i64, JsError> {
    date::parse(today).ok_or_else(|| JsError::new("today's date is not YYYY-MM-DD"))
}

fn load(progress: &str) -> Result<Progress, JsError> {
    Progress::import(progress).map_err(|e| JsError::new(&e))
}

/// Grade `answer` (JSON: option numbers, or typed text) against `key` (JSON from the page).
#[wasm_bindgen]
pub fn grade(key: &str, answer: &str) -> Result<String, JsError> {
    let key: Key = serde_json::from_str(key).map_err(|e| JsError::new(&format!("bad answer key: {e}")))?;
    let answer: Answer = serde_json::from_str(answer).map_err(|e| JsError::new(&format!("bad answer: {e}")))?;
    Ok(serde_json::to_string(&key.grade(&answer)).expect("serializes"))
}

/// A seeded order of `n` items.
#[wasm_bindgen]
pub fn shuffled(seed: u32, n: u32) -> Vec<u32> {
    crate::shuffled(u64::from(seed), n as usize).into_iter().map(|i| i as u32).collect()
}

/// Check stored or imported progress; returns it normalised (the export format).
#[wasm_bindgen]
pub fn load_progress(text: &str) -> Result<String, JsError> {
    Ok(load(text)?.export())
}

/// Load the stored progress, apply one change on `today`, and return it for storing.
fn change(progress: &str, today: &str, apply: impl FnOnce(&mut Progress, i64)) -> Result<String, JsError> {
    let mut p = load(progress)?;
    apply(&mut p, day(today)?);
    Ok(p.export())
}

#[wasm_bindgen]
pub fn read_page(progress: &str, url: &str, today: &str) -> Result<String, JsError> {
    change(progress, today, |p, d| p.read_page(url, d))
}

#[wasm_bindgen]
pub fn answer(progress: &str, id: &str, correct: bool, today: &str) -> Result<String, JsError> {
    change(progress, today, |p, d| p.answer(id, correct, d))
}

#[wasm_bindgen]
pub fn rate(progress: &str, id: &str, quality: u8, today: &str) -> Result<String, JsError> {
    change(progress, today, |p, d| p.rate(id, quality, d))
}

#[wasm_bindgen]
pub fn finish_quiz(progress: &str, module: &str, score: f64, today: &str) -> Result<String, JsError> {
    change(progress, today, |p, d| p.finish_quiz(module, score, d))
}

/// What the progress page shows, as JSON: streak, pages read, cards, due ids, quiz records.
#[wasm_bindgen]
pub fn summary(progress: &str, today: &str) -> Result<String, JsError> {
    let p = load(progress)?;
    let today = day(today)?;
    #[derive(serde::Serialize)]
    struct Summary<'a> {
        streak: u32,
        read: Vec<&'a String>,
        cards: usize,
        due: Vec<String>,
        quizzes: &'a std::collections::BTreeMap<String, crate::progress::QuizRecord>,
    }
    let summary = Summary { streak: p.streak(today), read: p.read.keys().collect(), cards: p.cards.len(), due: p.due(today), quizzes: &p.quizzes };
    Ok(serde_json::to_string(&summary).expect("serializes"))
}

/// The certificate PDF, or a message saying what is missing.
#[wasm_bindgen]
pub fn certificate(progress: &str, modules: &str, name: &str, today: &str) -> Result<Vec<u8>, JsError> {
    let p = load(progress)?;
    let modules: Vec<Module> = serde_json::from_str(modules).map_err(|e| JsError::new(&format!("bad module list: {e}")))?;
    day(today)?;
    certificate::pdf(&p, &modules, name, today).map_err(|e| JsError::new(&e))
}
