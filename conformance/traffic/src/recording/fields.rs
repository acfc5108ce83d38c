//! AMQP field tables (message headers) as plain JSON and back, losslessly: every field value
//! type keeps its type, so a replayed message carries the very headers that were recorded.
//!
//! A value is plain JSON where that is unambiguous: a UTF-8 long string is a string, a boolean
//! a boolean, a signed 64-bit integer a number, void `null`, an array an array and a table an
//! object. Every other type is a tagged object, `{"$amqp": TAG, ...}`; `RECORDING.md` has the
//! table. A table that itself has a `$amqp` key is tagged too (`"table"`), so that no plain
//! object is ever mistaken for a tagged value.

use std::borrow::Cow;

use amq_protocol_types::{
    AMQPValue, ByteArray, DecimalValue, FieldArray, FieldTable, LongString, ShortString,
    MAX_SHORT_STRING_LENGTH,
};
use base64::Engine as _;
use serde_json::{json, Map, Number, Value};

/// The key that marks a tagged value.
pub const TAG: &str = "$amqp";

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A table as the JSON object (or tagged table) that stands for it.
pub fn table_to_json(table: &FieldTable) -> Value {
    let object: Map<String, Value> = table
        .inner()
        .iter()
        .map(|(key, value)| (key.as_str().to_string(), value_to_json(value)))
        .collect();
    if object.contains_key(TAG) {
        json!({TAG: "table", "value": object})
    } else {
        Value::Object(object)
    }
}

pub fn value_to_json(value: &AMQPValue) -> Value {
    let tagged = |tag: &str, value: Value| json!({TAG: tag, "value": value});
    match value {
        AMQPValue::Boolean(b) => Value::Bool(*b),
        AMQPValue::ShortShortInt(i) => tagged("i8", json!(i)),
        AMQPValue::ShortShortUInt(u) => tagged("u8", json!(u)),
        AMQPValue::ShortInt(i) => tagged("i16", json!(i)),
        AMQPValue::ShortUInt(u) => tagged("u16", json!(u)),
        AMQPValue::LongInt(i) => tagged("i32", json!(i)),
        AMQPValue::LongUInt(u) => tagged("u32", json!(u)),
        AMQPValue::LongLongInt(i) => json!(i),
        // Widened to f64, which is exact, and read back exactly: a shortest f32 decimal could
        // round differently on its way through f64.
        AMQPValue::Float(f) => tagged(
            "f32",
            float_to_json(
                f64::from(*f),
                f.is_nan(),
                f.to_bits() == f32::NAN.to_bits(),
                || format!("{:#010x}", f.to_bits()),
            ),
        ),
        AMQPValue::Double(d) => tagged(
            "f64",
            float_to_json(*d, d.is_nan(), d.to_bits() == f64::NAN.to_bits(), || {
                format!("{:#018x}", d.to_bits())
            }),
        ),
        AMQPValue::DecimalValue(d) => json!({TAG: "decimal", "scale": d.scale, "value": d.value}),
        AMQPValue::ShortString(s) => tagged("shortstr", json!(s.as_str())),
        AMQPValue::LongString(s) => match std::str::from_utf8(s.as_bytes()) {
            Ok(text) => Value::String(text.to_string()),
            Err(_) => json!({TAG: "longstr", "base64": BASE64.encode(s.as_bytes())}),
        },
        AMQPValue::FieldArray(array) => {
            Value::Array(array.as_slice().iter().map(value_to_json).collect())
        }
        AMQPValue::Timestamp(t) => tagged("timestamp", json!(t)),
        AMQPValue::FieldTable(table) => table_to_json(table),
        AMQPValue::ByteArray(bytes) => {
            json!({TAG: "bytes", "base64": BASE64.encode(bytes.as_slice())})
        }
        AMQPValue::Void => Value::Null,
    }
}

/// A finite float as a number; infinities and NaN, which JSON has no number for, as strings.
/// A NaN other than the canonical one keeps its bits: `"NaN:0x7ff8000000000001"`.
fn float_to_json(
    value: f64,
    is_nan: bool,
    canonical_nan: bool,
    bits: impl Fn() -> String,
) -> Value {
    if is_nan {
        return Value::String(if canonical_nan {
            "NaN".into()
        } else {
            format!("NaN:{}", bits())
        });
    }
    match Number::from_f64(value) {
        Some(number) => Value::Number(number),
        None if value > 0.0 => Value::String("Infinity".into()),
        None => Value::String("-Infinity".into()),
    }
}

/// The table a JSON object (or tagged table) stands for. Errors name the offending key path.
pub fn json_to_table(value: &Value) -> Result<FieldTable, String> {
    match json_to_value(value)? {
        AMQPValue::FieldTable(table) => Ok(table),
        _ => Err("a field table is a JSON object".into()),
    }
}

/// The table a JSON object's members stand for.
pub fn object_to_table(object: &Map<String, Value>) -> Result<FieldTable, String> {
    read_table(object, None)
}

/// A field name no table can hold (over 255 bytes): where it is, and how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongName {
    /// From the top table down, e.g. `["outer"][0]["kkkkkkkk…"]`, long names cut short.
    pub path: String,
    pub bytes: usize,
}

/// Reads a table as [`object_to_table`] does, every value included, but lists the names too
/// long for a table instead of failing on the first: their members are left out of the table.
pub fn object_to_table_listing_long_names(
    object: &Map<String, Value>,
) -> Result<(FieldTable, Vec<LongName>), String> {
    let mut long_names = Vec::new();
    let table = read_table(object, Some(&mut long_names))?;
    Ok((table, long_names))
}

pub fn json_to_value(value: &Value) -> Result<AMQPValue, String> {
    read_value(value, None)
}

/// `long_names`: where to list the names too long for a table; `None` makes one an error.
fn read_table(
    object: &Map<String, Value>,
    mut long_names: Option<&mut Vec<LongName>>,
) -> Result<FieldTable, String> {
    let mut table = FieldTable::default();
    for (key, value) in object {
        let found_before = long_names.as_ref().map_or(0, |found| found.len());
        let value = read_value(value, long_names.as_deref_mut())
            .map_err(|e| format!("{:?}: {e}", shown(key)))?;
        let step = || format!("[{:?}]", shown(key));
        if let Some(found) = long_names.as_deref_mut() {
            for inner in &mut found[found_before..] {
                inner.path.insert_str(0, &step());
            }
        }
        match (
            ShortString::try_new(key.as_str()),
            long_names.as_deref_mut(),
        ) {
            (Ok(name), _) => {
                table.insert(name, value);
            }
            (Err(_), Some(found)) => found.push(LongName {
                path: step(),
                bytes: key.len(),
            }),
            (Err(e), None) => {
                return Err(format!(
                    "{:?}: a field name is at most {MAX_SHORT_STRING_LENGTH} bytes ({e})",
                    shown(key)
                ))
            }
        }
    }
    Ok(table)
}

/// A name as messages show it: whole up to 40 characters, else its first 40 and `…`.
pub fn shown(name: &str) -> Cow<'_, str> {
    match name.char_indices().nth(40) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &name[..cut])),
        None => Cow::Borrowed(name),
    }
}

fn read_value(
    value: &Value,
    mut long_names: Option<&mut Vec<LongName>>,
) -> Result<AMQPValue, String> {
    Ok(match value {
        Value::Null => AMQPValue::Void,
        Value::Bool(b) => AMQPValue::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => AMQPValue::LongLongInt(i),
            None => {
                return Err(format!(
                    "{n} is not a signed 64-bit integer; other numbers are tagged, e.g. \
                     {{\"{TAG}\": \"f64\", \"value\": 1.5}}"
                ))
            }
        },
        Value::String(s) => AMQPValue::LongString(LongString::from(s.as_bytes())),
        Value::Array(items) => {
            let mut array = FieldArray::default();
            for (i, item) in items.iter().enumerate() {
                let found_before = long_names.as_ref().map_or(0, |found| found.len());
                let item = read_value(item, long_names.as_deref_mut())
                    .map_err(|e| format!("[{i}]: {e}"))?;
                if let Some(found) = long_names.as_deref_mut() {
                    for inner in &mut found[found_before..] {
                        inner.path.insert_str(0, &format!("[{i}]"));
                    }
                }
                array.push(item);
            }
            AMQPValue::FieldArray(array)
        }
        Value::Object(object) => match object.get(TAG) {
            None => AMQPValue::FieldTable(read_table(object, long_names)?),
            Some(tag) => tagged_to_value(tag, object, long_names)?,
        },
    })
}

fn tagged_to_value(
    tag: &Value,
    object: &Map<String, Value>,
    long_names: Option<&mut Vec<LongName>>,
) -> Result<AMQPValue, String> {
    let tag = tag
        .as_str()
        .ok_or_else(|| format!("{TAG} is a type name, not {tag}"))?;
    // Exactly the members the tag's form has: a typo is an error, not a silent default.
    let members = |names: &[&str]| -> Result<(), String> {
        let mut expected: Vec<&str> = names.to_vec();
        expected.push(TAG);
        match object.keys().find(|k| !expected.contains(&k.as_str())) {
            Some(extra) => Err(format!("{tag}: unexpected member {extra:?}")),
            None => Ok(()),
        }
    };
    let get = |name: &str| {
        object
            .get(name)
            .ok_or_else(|| format!("{tag}: missing member {name:?}"))
    };
    let integer = |name: &str| -> Result<i128, String> {
        let value = get(name)?;
        value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from))
            .ok_or_else(|| format!("{tag}: {name} is an integer, not {value}"))
    };
    fn fit<T: TryFrom<i128>>(tag: &str, value: i128) -> Result<T, String> {
        T::try_from(value).map_err(|_| format!("{tag}: {value} is out of range"))
    }
    let base64 = || -> Result<Vec<u8>, String> {
        let text = get("base64")?
            .as_str()
            .ok_or_else(|| format!("{tag}: base64 is a string"))?;
        BASE64
            .decode(text)
            .map_err(|e| format!("{tag}: base64 is not base64: {e}"))
    };
    let value_form = |tag_value: fn(i128, &str) -> Result<AMQPValue, String>| {
        members(&["value"])?;
        tag_value(integer("value")?, tag)
    };
    Ok(match tag {
        "i8" => value_form(|v, t| fit(t, v).map(AMQPValue::ShortShortInt))?,
        "u8" => value_form(|v, t| fit(t, v).map(AMQPValue::ShortShortUInt))?,
        "i16" => value_form(|v, t| fit(t, v).map(AMQPValue::ShortInt))?,
        "u16" => value_form(|v, t| fit(t, v).map(AMQPValue::ShortUInt))?,
        "i32" => value_form(|v, t| fit(t, v).map(AMQPValue::LongInt))?,
        "u32" => value_form(|v, t| fit(t, v).map(AMQPValue::LongUInt))?,
        "timestamp" => value_form(|v, t| fit(t, v).map(AMQPValue::Timestamp))?,
        "f32" => {
            members(&["value"])?;
            // A NaN's bits go straight to an f32: widening would quiet a signalling NaN.
            AMQPValue::Float(match json_to_float(tag, get("value")?)? {
                Float::Number(f) => f as f32,
                Float::Nan(None) => f32::NAN,
                Float::Nan(Some(bits)) => u32::try_from(bits)
                    .map(f32::from_bits)
                    .ok()
                    .filter(|f| f.is_nan())
                    .ok_or_else(|| format!("{tag}: {bits:#x} is not an f32 NaN"))?,
            })
        }
        "f64" => {
            members(&["value"])?;
            AMQPValue::Double(match json_to_float(tag, get("value")?)? {
                Float::Number(f) => f,
                Float::Nan(None) => f64::NAN,
                Float::Nan(Some(bits)) => Some(f64::from_bits(bits))
                    .filter(|f| f.is_nan())
                    .ok_or_else(|| format!("{tag}: {bits:#x} is not an f64 NaN"))?,
            })
        }
        "decimal" => {
            members(&["scale", "value"])?;
            AMQPValue::DecimalValue(DecimalValue {
                scale: fit(tag, integer("scale")?)?,
                value: fit(tag, integer("value")?)?,
            })
        }
        "shortstr" => {
            members(&["value"])?;
            let text = get("value")?
                .as_str()
                .ok_or_else(|| format!("{tag}: value is a string"))?;
            AMQPValue::ShortString(ShortString::try_new(text).map_err(|e| format!("{tag}: {e}"))?)
        }
        "longstr" => {
            members(&["base64"])?;
            AMQPValue::LongString(LongString::from(base64()?))
        }
        "bytes" => {
            members(&["base64"])?;
            AMQPValue::ByteArray(ByteArray::from(base64()?))
        }
        "table" => {
            members(&["value"])?;
            match get("value")? {
                Value::Object(object) => AMQPValue::FieldTable(read_table(object, long_names)?),
                other => return Err(format!("{tag}: value is an object, not {other}")),
            }
        }
        other => {
            return Err(format!(
                "unknown {TAG} type {other:?}: i8, u8, i16, u16, i32, u32, f32, f64, decimal, \
                 timestamp, shortstr, longstr, bytes or table"
            ))
        }
    })
}

enum Float {
    /// A number or an infinity.
    Number(f64),
    /// NaN, with its bits unless it is the canonical one.
    Nan(Option<u64>),
}

/// A float from its JSON form: a number, "Infinity", "-Infinity", "NaN" or "NaN:0x<bits>".
fn json_to_float(tag: &str, value: &Value) -> Result<Float, String> {
    match value {
        Value::Number(n) => n
            .as_f64()
            .map(Float::Number)
            .ok_or_else(|| format!("{tag}: {n} is not a float")),
        Value::String(s) => match s.as_str() {
            "Infinity" => Ok(Float::Number(f64::INFINITY)),
            "-Infinity" => Ok(Float::Number(f64::NEG_INFINITY)),
            "NaN" => Ok(Float::Nan(None)),
            other => other
                .strip_prefix("NaN:0x")
                .and_then(|hex| u64::from_str_radix(hex, 16).ok())
                .map(|bits| Float::Nan(Some(bits)))
                .ok_or_else(|| format!("{tag}: {other:?} is not a float")),
        },
        other => Err(format!("{tag}: value is a number, not {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(entries: Vec<(&str, AMQPValue)>) -> FieldTable {
        let mut table = FieldTable::default();
        for (key, value) in entries {
            table.insert(key.into(), value);
        }
        table
    }

    /// The value survives JSON text (not just a `Value`), with its type and its bits.
    fn round_trip(value: AMQPValue) -> Value {
        let json = value_to_json(&value);
        let text = serde_json::to_string(&json).unwrap();
        let back = json_to_value(&serde_json::from_str(&text).unwrap()).unwrap();
        match (&value, &back) {
            // NaN != NaN: compare the bits.
            (AMQPValue::Float(a), AMQPValue::Float(b)) => assert_eq!(a.to_bits(), b.to_bits()),
            (AMQPValue::Double(a), AMQPValue::Double(b)) => assert_eq!(a.to_bits(), b.to_bits()),
            _ => assert_eq!(back, value, "via {text}"),
        }
        json
    }

    #[test]
    fn every_value_type_round_trips_with_its_type() {
        assert_eq!(round_trip(AMQPValue::Boolean(true)), json!(true));
        assert_eq!(round_trip(AMQPValue::Boolean(false)), json!(false));
        for (value, tag, number) in [
            (AMQPValue::ShortShortInt(-128), "i8", json!(-128)),
            (AMQPValue::ShortShortUInt(255), "u8", json!(255)),
            (AMQPValue::ShortInt(-32768), "i16", json!(-32768)),
            (AMQPValue::ShortUInt(65535), "u16", json!(65535)),
            (AMQPValue::LongInt(i32::MIN), "i32", json!(i32::MIN)),
            (AMQPValue::LongUInt(u32::MAX), "u32", json!(u32::MAX)),
            (AMQPValue::Timestamp(u64::MAX), "timestamp", json!(u64::MAX)),
        ] {
            assert_eq!(round_trip(value), json!({TAG: tag, "value": number}));
        }
        assert_eq!(
            round_trip(AMQPValue::LongLongInt(i64::MIN)),
            json!(i64::MIN)
        );
        assert_eq!(
            round_trip(AMQPValue::LongLongInt(i64::MAX)),
            json!(i64::MAX)
        );
        assert_eq!(
            round_trip(AMQPValue::DecimalValue(DecimalValue {
                scale: 2,
                value: 12345
            })),
            json!({TAG: "decimal", "scale": 2, "value": 12345})
        );
        assert_eq!(
            round_trip(AMQPValue::ShortString("short".into())),
            json!({TAG: "shortstr", "value": "short"})
        );
        assert_eq!(
            round_trip(AMQPValue::LongString("Übersicht 📈".into())),
            json!("Übersicht 📈")
        );
        assert_eq!(
            round_trip(AMQPValue::LongString(vec![0xff, 0x00, b'a'].into())),
            json!({TAG: "longstr", "base64": "/wBh"})
        );
        assert_eq!(
            round_trip(AMQPValue::ByteArray(vec![0xff, 0x00, b'a'].into())),
            json!({TAG: "bytes", "base64": "/wBh"})
        );
        assert_eq!(
            round_trip(AMQPValue::ByteArray(Vec::new().into())),
            json!({TAG: "bytes", "base64": ""})
        );
        assert_eq!(round_trip(AMQPValue::Void), Value::Null);
    }

    #[test]
    fn floats_keep_their_width_and_bits() {
        for f in [
            0.1f32,
            -0.0,
            f32::MIN_POSITIVE,
            f32::MAX,
            1e-45,
            16_777_217.0,
        ] {
            round_trip(AMQPValue::Float(f));
        }
        for d in [0.1f64, -0.0, 5e-324, f64::MAX, 1.0, 123_456_789.123_456_78] {
            round_trip(AMQPValue::Double(d));
        }
        assert_eq!(
            round_trip(AMQPValue::Double(1.5)),
            json!({TAG: "f64", "value": 1.5})
        );
        // 1.0 stays a double: the tag, not the number's spelling, carries the type.
        assert_eq!(
            json_to_value(&json!({TAG: "f64", "value": 1})).unwrap(),
            AMQPValue::Double(1.0)
        );
        for (double, float, text) in [
            (f64::INFINITY, f32::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, f32::NEG_INFINITY, "-Infinity"),
            (f64::NAN, f32::NAN, "NaN"),
        ] {
            assert_eq!(
                round_trip(AMQPValue::Double(double)),
                json!({TAG: "f64", "value": text})
            );
            assert_eq!(
                round_trip(AMQPValue::Float(float)),
                json!({TAG: "f32", "value": text})
            );
        }
        let odd_nan = f64::from_bits(0x7ff8_0000_0000_0001);
        assert_eq!(
            round_trip(AMQPValue::Double(odd_nan)),
            json!({TAG: "f64", "value": "NaN:0x7ff8000000000001"})
        );
        round_trip(AMQPValue::Float(f32::from_bits(0xffc0_0001)));
        // A signalling NaN is not quieted.
        round_trip(AMQPValue::Float(f32::from_bits(0x7f80_0001)));
        round_trip(AMQPValue::Double(f64::from_bits(0x7ff0_0000_0000_0001)));
    }

    #[test]
    fn arrays_and_tables_nest() {
        let inner = table(vec![
            ("n", AMQPValue::ShortInt(7)),
            ("list", AMQPValue::FieldArray(vec![AMQPValue::Void].into())),
        ]);
        let value = AMQPValue::FieldArray(
            vec![
                AMQPValue::LongLongInt(1),
                AMQPValue::FieldTable(inner),
                AMQPValue::FieldArray(FieldArray::default()),
                AMQPValue::FieldTable(FieldTable::default()),
            ]
            .into(),
        );
        assert_eq!(
            round_trip(value),
            json!([1, {"n": {TAG: "i16", "value": 7}, "list": [null]}, [], {}])
        );
    }

    #[test]
    fn a_table_with_a_tag_key_is_tagged_so_it_is_never_read_as_a_value() {
        let odd = table(vec![
            (TAG, AMQPValue::LongString("bytes".into())),
            ("base64", AMQPValue::LongString("AA==".into())),
        ]);
        let json = round_trip(AMQPValue::FieldTable(odd.clone()));
        assert_eq!(
            json,
            json!({TAG: "table", "value": {TAG: "bytes", "base64": "AA=="}})
        );
        assert_eq!(table_to_json(&odd), json);
        assert_eq!(json_to_table(&json).unwrap(), odd);
    }

    #[test]
    fn malformed_values_say_what_is_wrong_and_where() {
        let error = |value: Value| json_to_table(&json!({"h": value})).unwrap_err();
        assert!(error(json!(1.5)).contains("not a signed 64-bit integer"));
        assert!(error(json!(u64::MAX)).contains("not a signed 64-bit integer"));
        assert!(error(json!({TAG: "u8", "value": 256})).contains("out of range"));
        assert!(error(json!({TAG: "i8", "value": "1"})).contains("is an integer"));
        assert!(error(json!({TAG: "u8", "valeu": 1})).contains("unexpected member"));
        assert!(error(json!({TAG: "u8"})).contains("missing member"));
        assert!(error(json!({TAG: "bytes", "base64": "***"})).contains("not base64"));
        assert!(error(json!({TAG: "f64", "value": "nan"})).contains("not a float"));
        assert!(error(json!({TAG: "u128", "value": 1})).contains("unknown $amqp type"));
        assert!(error(json!({TAG: 1})).contains("type name"));
        assert!(error(json!([1, {TAG: "i8", "value": 300}])).starts_with("\"h\": [1]: i8"));
        let long_key = "k".repeat(256);
        assert!(json_to_table(&json!({long_key: 1}))
            .unwrap_err()
            .contains("at most 255 bytes"));
        assert!(json_to_table(&json!([])).is_err());
    }
}
