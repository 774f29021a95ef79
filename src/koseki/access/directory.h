// Directory: a tenant's users, devices and device CA, each a sealed versioned object in the
// store (store/sealed_objects.h): encrypted under the tenant's key and bound to its place, so
// that the database file alone reveals no password hash, TOTP secret or CA key, and a record
// moved to another user, device or tenant does not open. Every change appends a version; a
// writer that lost a race gets Aborted (KSK-STORE-…) and nothing is written.
//
// Object kinds and ids: "user"/<login>, "device"/<certificate serial>, "device_ca"/"current".
// Thread-safe (the store is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/access/device.h"
#include "koseki/access/user.h"
#include "koseki/base/result.h"
#include "koseki/store/sealed_objects.h"

namespace koseki::access {

template <typename T>
struct Versioned {
  T value;
  std::uint64_t version = 0;  // the stored version; 0 for a record not stored yet
};

class Directory {
 public:
  explicit Directory(store::SealedObjects& objects) : objects_(objects) {}

  Result<std::optional<Versioned<UserRecord>>> FindUser(std::string_view tenant,
                                                        std::string_view login);
  Result<std::vector<Versioned<UserRecord>>> ListUsers(std::string_view tenant);
  // Stores `user` as the version after `user.version` (0 creates it); Aborted if another
  // writer stored one first. Returns the new version.
  Result<std::uint64_t> PutUser(std::string_view tenant, const Versioned<UserRecord>& user);

  Result<std::optional<Versioned<DeviceRecord>>> FindDevice(std::string_view tenant,
                                                            std::string_view serial_hex);
  Result<std::vector<Versioned<DeviceRecord>>> ListDevices(std::string_view tenant);
  Result<std::uint64_t> PutDevice(std::string_view tenant, const Versioned<DeviceRecord>& device);

  Result<std::optional<DeviceCaRecord>> FindDeviceCa(std::string_view tenant);
  // Stores the tenant's device CA; AlreadyExists-like Aborted if it has one.
  Result<void> PutDeviceCa(std::string_view tenant, const DeviceCaRecord& ca);

 private:
  store::SealedObjects& objects_;
};

}  // namespace koseki::access
