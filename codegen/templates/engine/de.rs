//! The typed parse: serde reads a generated type straight from the tape of an event the engine
//! accepted. Where the schema and Rust's types see a value differently, the tape answers as the
//! schema does: an integer written `8.0` or `1e2` is an integer, so an `i64` field takes it.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use super::tape::{Node, View};

/// Why a value on the tape is not of the type asked for: a disagreement between the schema and
/// the generated types, which the crate's tests hold to never happen for an accepted event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError(pub String);

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TypeError {}

impl de::Error for TypeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TypeError(msg.to_string())
    }
}

/// Reads the value at `at` as a `T`.
pub fn from_tape<'a, T: serde::Deserialize<'a>>(
    view: &View<'a>,
    at: usize,
) -> Result<T, TypeError> {
    T::deserialize(Value { view: *view, at })
}

/// One value on the tape, as a serde deserializer.
#[derive(Clone, Copy)]
struct Value<'a> {
    view: View<'a>,
    at: usize,
}

/// An integral float as the integer it is, when it fits.
fn integral(f: f64) -> Option<i128> {
    (f.fract() == 0.0 && f.abs() < 1.7e38).then_some(f as i128)
}

macro_rules! integer {
    ($method:ident) => {
        fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, TypeError> {
            match self.view.node(self.at) {
                Node::F64(f) => match integral(f) {
                    Some(i) if i >= 0 => visitor.visit_u64(i as u64),
                    Some(i) => visitor.visit_i64(i as i64),
                    None => visitor.visit_f64(f),
                },
                _ => self.deserialize_any(visitor),
            }
        }
    };
}

impl<'a> Deserializer<'a> for Value<'a> {
    type Error = TypeError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, TypeError> {
        let view = self.view;
        match view.node(self.at) {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::U64(n) => visitor.visit_u64(n),
            Node::I64(n) => visitor.visit_i64(n),
            Node::F64(f) => visitor.visit_f64(f),
            Node::Str { escaped: false, .. } => {
                visitor.visit_borrowed_str(view.str(self.at).unwrap_or_default())
            }
            Node::Str { .. } => visitor.visit_str(view.str(self.at).unwrap_or_default()),
            Node::Array { end, len } => visitor.visit_seq(Elements {
                view,
                next: self.at + 1,
                end: end as usize,
                left: len as usize,
            }),
            Node::Object { end, len } => visitor.visit_map(Members {
                view,
                next: self.at + 1,
                end: end as usize,
                left: len as usize,
                value: None,
            }),
        }
    }

    integer!(deserialize_i8);
    integer!(deserialize_i16);
    integer!(deserialize_i32);
    integer!(deserialize_i64);
    integer!(deserialize_i128);
    integer!(deserialize_u8);
    integer!(deserialize_u16);
    integer!(deserialize_u32);
    integer!(deserialize_u64);
    integer!(deserialize_u128);

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, TypeError> {
        match self.view.node(self.at) {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TypeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TypeError> {
        let view = self.view;
        match view.node(self.at) {
            Node::Str { .. } => {
                visitor.visit_enum(view.str(self.at).unwrap_or_default().into_deserializer())
            }
            Node::Object { len: 1, .. } => {
                let (key, value) = view.members(self.at).next().expect("one member");
                visitor.visit_enum(Variant { view, key, value })
            }
            _ => Err(TypeError(
                "an enum is a string or an object of one member".into(),
            )),
        }
    }

    /// A value nobody reads (an unknown field, a recording's body read elsewhere) is a whole
    /// subtree of the tape, passed over without visiting it.
    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, TypeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool f32 f64 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        struct identifier
    }
}

/// The elements of an array, by node index: `next` is the next one's, `end` the array's end.
struct Elements<'a> {
    view: View<'a>,
    next: usize,
    end: usize,
    left: usize,
}

impl<'a> SeqAccess<'a> for Elements<'a> {
    type Error = TypeError;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TypeError> {
        if self.next >= self.end {
            return Ok(None);
        }
        let at = self.next;
        self.next = self.view.skip(at);
        self.left -= 1;
        seed.deserialize(Value {
            view: self.view,
            at,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// The members of an object, by node index: a key node, then its value.
struct Members<'a> {
    view: View<'a>,
    next: usize,
    end: usize,
    left: usize,
    value: Option<usize>,
}

impl<'a> MapAccess<'a> for Members<'a> {
    type Error = TypeError;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TypeError> {
        if self.next >= self.end {
            return Ok(None);
        }
        let key = self.next;
        let value = key + 1;
        self.next = self.view.skip(value);
        self.left -= 1;
        self.value = Some(value);
        seed.deserialize(Value {
            view: self.view,
            at: key,
        })
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, TypeError> {
        let at = self
            .value
            .take()
            .ok_or_else(|| TypeError("a value without its key".into()))?;
        seed.deserialize(Value {
            view: self.view,
            at,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct Variant<'a> {
    view: View<'a>,
    key: usize,
    value: usize,
}

impl<'a> EnumAccess<'a> for Variant<'a> {
    type Error = TypeError;
    type Variant = Value<'a>;

    fn variant_seed<V: DeserializeSeed<'a>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Value<'a>), TypeError> {
        let name = seed.deserialize(Value {
            view: self.view,
            at: self.key,
        })?;
        Ok((
            name,
            Value {
                view: self.view,
                at: self.value,
            },
        ))
    }
}

impl<'a> VariantAccess<'a> for Value<'a> {
    type Error = TypeError;

    fn unit_variant(self) -> Result<(), TypeError> {
        serde::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'a>>(self, seed: T) -> Result<T::Value, TypeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, TypeError> {
        self.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'a>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TypeError> {
        self.deserialize_any(visitor)
    }
}
