//! Any bytes as a multipart/mixed statement body: parsing must never panic, and whatever it
//! accepts has parts whose SHA-2 matches their hash header.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = bytes::Bytes::copy_from_slice(data);
    let _ = mycel_http::xapi::multipart::parse_statement_parts("multipart/mixed; boundary=xyz", &body);
});
