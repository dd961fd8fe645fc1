package dev.vigil.storage.kv;

/** One decoded key-value pair from an iteration. */
public record KvEntry<K, V>(K key, V value) {}
