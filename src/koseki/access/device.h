// A registered terminal (R9): the client certificate a tenant's device CA issued to it, its zone
// (the city's office or the vendor's service room) and whether it was revoked. The certificate
// and its key leave the server once, in the PKCS#12 bundle of `koseki device enroll`; the server
// keeps what it needs to recognise the certificate (serial, SHA-256 fingerprint, validity).
//
// The device CA of a tenant is stored the same way, its private key only inside the
// tenant-sealed record (access/directory.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "koseki/access/zone.h"
#include "koseki/base/result.h"

namespace koseki::access {

struct DeviceRecord {
  std::string serial_hex = {};       // the certificate's serial: the device's id in the directory
  std::string fingerprint_hex = {};  // SHA-256 of the certificate (DER): its id in audit entries
  std::string name = {};             // e.g. "vendor-room-03": shown in the watermark and lists
  Zone zone = Zone::kCity;
  std::int64_t not_before = 0;  // Unix micros
  std::int64_t not_after = 0;
  std::int64_t enrolled_at = 0;
  std::string enrolled_by = {};
  std::int64_t revoked_at = 0;  // 0 = not revoked
  std::string revoked_by = {};
};

struct DeviceCaRecord {
  std::string cert_pem = {};
  std::string key_pem = {};  // secret: only ever inside the sealed record
  std::int64_t created_at = 0;
};

// Checks a device name: 1–64 characters of [A-Za-z0-9._-] (InvalidArgument KSK-DEVICE-001).
Result<void> ValidateDeviceName(std::string_view name);

std::string DeviceToJson(const DeviceRecord& device);
// DataLoss KSK-DEVICE-002 if the bytes are not a device record.
Result<DeviceRecord> DeviceFromJson(std::string_view json);
std::string DeviceCaToJson(const DeviceCaRecord& ca);
// DataLoss KSK-DEVICE-002 if the bytes are not a device CA record.
Result<DeviceCaRecord> DeviceCaFromJson(std::string_view json);

}  // namespace koseki::access
