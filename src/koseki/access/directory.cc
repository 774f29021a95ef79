#include "koseki/access/directory.h"

#include <utility>

namespace koseki::access {
namespace {

constexpr std::string_view kUserKind = "user";
constexpr std::string_view kDeviceKind = "device";
constexpr std::string_view kDeviceCaKind = "device_ca";
constexpr std::string_view kDeviceCaId = "current";

std::string_view AsText(const store::Bytes& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

crypto::ByteView AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

template <typename T, typename Parse>
Result<std::optional<Versioned<T>>> Find(store::SealedObjects& objects, std::string_view tenant,
                                         std::string_view kind, std::string_view id, Parse parse) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::OpenedObject> opened, objects.Get(tenant, kind, id));
  if (!opened) return std::optional<Versioned<T>>();
  KOSEKI_ASSIGN_OR_RETURN(T value, parse(AsText(opened->plaintext)));
  return std::optional<Versioned<T>>(Versioned<T>{std::move(value), opened->version});
}

template <typename T, typename Parse>
Result<std::vector<Versioned<T>>> List(store::SealedObjects& objects, std::string_view tenant,
                                       std::string_view kind, Parse parse) {
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::OpenedObject> opened, objects.List(tenant, kind));
  std::vector<Versioned<T>> out;
  out.reserve(opened.size());
  for (const store::OpenedObject& object : opened) {
    KOSEKI_ASSIGN_OR_RETURN(T value, parse(AsText(object.plaintext)));
    out.push_back(Versioned<T>{std::move(value), object.version});
  }
  return out;
}

}  // namespace

Result<std::optional<Versioned<UserRecord>>> Directory::FindUser(std::string_view tenant,
                                                                 std::string_view login) {
  KOSEKI_RETURN_IF_ERROR(ValidateLogin(login));
  return Find<UserRecord>(objects_, tenant, kUserKind, login, UserFromJson);
}

Result<std::vector<Versioned<UserRecord>>> Directory::ListUsers(std::string_view tenant) {
  return List<UserRecord>(objects_, tenant, kUserKind, UserFromJson);
}

Result<std::uint64_t> Directory::PutUser(std::string_view tenant,
                                         const Versioned<UserRecord>& user) {
  KOSEKI_RETURN_IF_ERROR(ValidateLogin(user.value.login));
  return objects_.Put(tenant, kUserKind, user.value.login, user.version,
                      AsBytes(UserToJson(user.value)));
}

Result<std::optional<Versioned<DeviceRecord>>> Directory::FindDevice(std::string_view tenant,
                                                                     std::string_view serial_hex) {
  return Find<DeviceRecord>(objects_, tenant, kDeviceKind, serial_hex, DeviceFromJson);
}

Result<std::vector<Versioned<DeviceRecord>>> Directory::ListDevices(std::string_view tenant) {
  return List<DeviceRecord>(objects_, tenant, kDeviceKind, DeviceFromJson);
}

Result<std::uint64_t> Directory::PutDevice(std::string_view tenant,
                                           const Versioned<DeviceRecord>& device) {
  return objects_.Put(tenant, kDeviceKind, device.value.serial_hex, device.version,
                      AsBytes(DeviceToJson(device.value)));
}

Result<std::optional<DeviceCaRecord>> Directory::FindDeviceCa(std::string_view tenant) {
  KOSEKI_ASSIGN_OR_RETURN(
      std::optional<Versioned<DeviceCaRecord>> found,
      Find<DeviceCaRecord>(objects_, tenant, kDeviceCaKind, kDeviceCaId, DeviceCaFromJson));
  if (!found) return std::optional<DeviceCaRecord>();
  return std::optional<DeviceCaRecord>(std::move(found->value));
}

Result<void> Directory::PutDeviceCa(std::string_view tenant, const DeviceCaRecord& ca) {
  KOSEKI_ASSIGN_OR_RETURN(std::uint64_t version, objects_.Put(tenant, kDeviceCaKind, kDeviceCaId, 0,
                                                              AsBytes(DeviceCaToJson(ca))));
  (void)version;
  return Ok();
}

}  // namespace koseki::access
