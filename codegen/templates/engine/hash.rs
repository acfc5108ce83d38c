//! A hash of a value's content that ignores the order of object keys: the same event written
//! twice with its keys in another order is the same content (what a duplicate id is checked
//! against). Integers and floats are told apart (`1` is not `1.0`), as a `Value` tells them apart.

use super::digest;
use super::tape::{Node, View};

/// The content hash of the value at `at`: the one the fast reader worked out while reading a
/// container, else worked out here from the tape with the same parts (`digest`).
pub fn content_hash(view: &View<'_>, at: usize) -> u64 {
    let node = view.node(at);
    match node {
        Node::Array { .. } | Node::Object { .. } => view
            .container_hash(at)
            .unwrap_or_else(|| hash_node(view, node, at)),
        _ => hash_node(view, node, at),
    }
}

/// The hash of `node`, the node at `at`: a container's members or elements are read off the
/// tape in one walk, each node once.
fn hash_node(view: &View<'_>, node: Node, at: usize) -> u64 {
    match node {
        Node::Str { .. } => digest::text(view.bytes_of(node).unwrap_or_default()),
        Node::Array { end, len } => {
            let mut chain = 0;
            let mut element = at + 1;
            while element < end as usize {
                let node = view.node(element);
                chain = digest::element(chain, hash_node(view, node, element));
                element = after(node, element);
            }
            digest::array(chain, len)
        }
        Node::Object { end, len } => {
            let mut sum = 0u64;
            let mut key = at + 1;
            while key < end as usize {
                let name = digest::text(view.bytes(key).unwrap_or_default());
                let node = view.node(key + 1);
                let value = hash_node(view, node, key + 1);
                sum = sum.wrapping_add(digest::member(name, value));
                key = after(node, key + 1);
            }
            digest::object(sum, len)
        }
        scalar => digest::scalar(scalar).expect("every other node is a scalar"),
    }
}

/// The index after `node`, the node at `at`, and everything inside it.
#[inline]
fn after(node: Node, at: usize) -> usize {
    match node {
        Node::Array { end, .. } | Node::Object { end, .. } => end as usize,
        _ => at + 1,
    }
}
