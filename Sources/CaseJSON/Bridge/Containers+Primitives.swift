// Concrete overloads the Codable container protocols require; each forwards to the generic method.

extension KeyedNodeEncoder {
  mutating func encode(_ value: Bool, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: String, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: Double, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: Float, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: Int, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeGeneric(value, forKey: key) }
  private mutating func encodeGeneric<T: Encodable>(_ value: T, forKey key: Key) throws { try self.encode(value, forKey: key) }
}
extension UnkeyedNodeEncoder {
  mutating func encode(_ value: Bool) throws { try encodeGeneric(value) }
  mutating func encode(_ value: String) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Double) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Float) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int8) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int16) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int32) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int64) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt8) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt16) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt32) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt64) throws { try encodeGeneric(value) }
  private mutating func encodeGeneric<T: Encodable>(_ value: T) throws { try self.encode(value) }
}
extension SingleNodeEncoder {
  mutating func encode(_ value: Bool) throws { try encodeGeneric(value) }
  mutating func encode(_ value: String) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Double) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Float) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int8) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int16) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int32) throws { try encodeGeneric(value) }
  mutating func encode(_ value: Int64) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt8) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt16) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt32) throws { try encodeGeneric(value) }
  mutating func encode(_ value: UInt64) throws { try encodeGeneric(value) }
  private mutating func encodeGeneric<T: Encodable>(_ value: T) throws { try self.encode(value) }
}
extension KeyedNodeDecoder {
  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeGeneric(type, forKey: key) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeGeneric(type, forKey: key) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeGeneric(type, forKey: key) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeGeneric(type, forKey: key) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeGeneric(type, forKey: key) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeGeneric(type, forKey: key) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeGeneric(type, forKey: key) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeGeneric(type, forKey: key) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeGeneric(type, forKey: key) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeGeneric(type, forKey: key) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeGeneric(type, forKey: key) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeGeneric(type, forKey: key) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeGeneric(type, forKey: key) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeGeneric(type, forKey: key) }
  private func decodeGeneric<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try self.decode(type, forKey: key) }
}
extension UnkeyedNodeDecoder {
  mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeGeneric(type) }
  mutating func decode(_ type: String.Type) throws -> String { try decodeGeneric(type) }
  mutating func decode(_ type: Double.Type) throws -> Double { try decodeGeneric(type) }
  mutating func decode(_ type: Float.Type) throws -> Float { try decodeGeneric(type) }
  mutating func decode(_ type: Int.Type) throws -> Int { try decodeGeneric(type) }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeGeneric(type) }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeGeneric(type) }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeGeneric(type) }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeGeneric(type) }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeGeneric(type) }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeGeneric(type) }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeGeneric(type) }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeGeneric(type) }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeGeneric(type) }
  private mutating func decodeGeneric<T: Decodable>(_ type: T.Type) throws -> T { try self.decode(type) }
}
extension SingleNodeDecoder {
  func decode(_ type: Bool.Type) throws -> Bool { try decodeGeneric(type) }
  func decode(_ type: String.Type) throws -> String { try decodeGeneric(type) }
  func decode(_ type: Double.Type) throws -> Double { try decodeGeneric(type) }
  func decode(_ type: Float.Type) throws -> Float { try decodeGeneric(type) }
  func decode(_ type: Int.Type) throws -> Int { try decodeGeneric(type) }
  func decode(_ type: Int8.Type) throws -> Int8 { try decodeGeneric(type) }
  func decode(_ type: Int16.Type) throws -> Int16 { try decodeGeneric(type) }
  func decode(_ type: Int32.Type) throws -> Int32 { try decodeGeneric(type) }
  func decode(_ type: Int64.Type) throws -> Int64 { try decodeGeneric(type) }
  func decode(_ type: UInt.Type) throws -> UInt { try decodeGeneric(type) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeGeneric(type) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeGeneric(type) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeGeneric(type) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeGeneric(type) }
  private func decodeGeneric<T: Decodable>(_ type: T.Type) throws -> T { try self.decode(type) }
}
