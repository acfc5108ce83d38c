//! The recording format itself, shared by the side that reads it (`input::recording`, for
//! `check`) and the side that writes and publishes it (`broker`): one line's model, the JSON
//! form of AMQP field values (`fields`), and what RabbitMQ would refuse to carry
//! (`unpublishable`). `conformance/RECORDING.md` documents it; its schema is
//! `conformance/recording.schema.json`.

pub mod fields;
pub mod unpublishable;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// One recorded delivery, as `recording.schema.json` describes it. The body is a `Value` for
/// checking; `contracts replay` reads it as a `Box<RawValue>` to publish its exact bytes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "B: Deserialize<'de>"))]
pub struct RecordedDelivery<B = Value> {
    pub exchange: String,
    pub routing_key: String,
    #[serde(default)]
    #[allow(dead_code, reason = "part of the format; no rule reads it yet")]
    pub redelivered: Option<bool>,
    #[serde(default)]
    pub properties: Option<Properties>,
    /// `Some` of a JSON `null` is a body of `null`, which is JSON; absence is `None`.
    #[serde(default = "none", deserialize_with = "present")]
    pub body: Option<B>,
    #[serde(default)]
    pub body_base64: Option<String>,
}

/// The AMQP basic properties, each optional (absent or `null` when unset). Headers are a
/// field table in the JSON form of [`fields`], checked when a line is decoded.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Properties {
    pub content_type: Option<String>,
    pub content_encoding: Option<String>,
    pub message_id: Option<String>,
    pub timestamp: Option<u64>,
    pub app_id: Option<String>,
    #[serde(rename = "type")]
    pub message_type: Option<String>,
    pub user_id: Option<String>,
    pub correlation_id: Option<String>,
    pub reply_to: Option<String>,
    pub expiration: Option<String>,
    pub delivery_mode: Option<u8>,
    pub priority: Option<u8>,
    pub cluster_id: Option<String>,
    pub headers: Option<Map<String, Value>>,
}

fn none<B>() -> Option<B> {
    None
}

fn present<'de, D: Deserializer<'de>, B: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<B>, D::Error> {
    B::deserialize(deserializer).map(Some)
}
