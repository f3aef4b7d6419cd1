// fmt support for jubilant's types, opt-in the way fmt's own <fmt/ranges.h> is: include this
// header where you write fmt::format("{}", status) or log a value with spdlog. The type
// headers themselves do not include fmt, so a test file that only uses the typed API does not
// pay for compiling it.
#pragma once

#include <string_view>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <jubilant/modeltypes.hpp>
#include <jubilant/secrettypes.hpp>
#include <jubilant/statustypes.hpp>
#include <jubilant/task.hpp>
#include <jubilant/unittypes.hpp>
#include <jubilant/value.hpp>
#include <jubilant/version.hpp>

// Through operator<<, so both spellings print the same text.
#define JUBILANT_OSTREAM_FORMATTER(T) \
    template <>                       \
    struct fmt::formatter<jubilant::T> : fmt::ostream_formatter {}

/// fmt::format("{}", value) for the types of <jubilant/statustypes.hpp>, same text as operator<<.
JUBILANT_OSTREAM_FORMATTER(FormattedBase);
JUBILANT_OSTREAM_FORMATTER(StatusInfo);
JUBILANT_OSTREAM_FORMATTER(AppStatusRelation);
JUBILANT_OSTREAM_FORMATTER(UnitStatus);
JUBILANT_OSTREAM_FORMATTER(AppStatus);
JUBILANT_OSTREAM_FORMATTER(EntityStatus);
JUBILANT_OSTREAM_FORMATTER(UnitStorageAttachment);
JUBILANT_OSTREAM_FORMATTER(StorageAttachments);
JUBILANT_OSTREAM_FORMATTER(StorageInfo);
JUBILANT_OSTREAM_FORMATTER(FilesystemAttachment);
JUBILANT_OSTREAM_FORMATTER(FilesystemAttachments);
JUBILANT_OSTREAM_FORMATTER(FilesystemInfo);
JUBILANT_OSTREAM_FORMATTER(VolumeAttachment);
JUBILANT_OSTREAM_FORMATTER(VolumeAttachments);
JUBILANT_OSTREAM_FORMATTER(VolumeInfo);
JUBILANT_OSTREAM_FORMATTER(CombinedStorage);
JUBILANT_OSTREAM_FORMATTER(ControllerStatus);
JUBILANT_OSTREAM_FORMATTER(LxdProfileContents);
JUBILANT_OSTREAM_FORMATTER(NetworkInterface);
JUBILANT_OSTREAM_FORMATTER(MachineStatus);
JUBILANT_OSTREAM_FORMATTER(ModelStatus);
JUBILANT_OSTREAM_FORMATTER(RemoteEndpoint);
JUBILANT_OSTREAM_FORMATTER(OfferStatus);
JUBILANT_OSTREAM_FORMATTER(RemoteAppStatus);
JUBILANT_OSTREAM_FORMATTER(Status);

/// fmt::format("{}", value) for the types of <jubilant/modeltypes.hpp>, same text as operator<<.
JUBILANT_OSTREAM_FORMATTER(ModelCredential);
JUBILANT_OSTREAM_FORMATTER(ModelStatusInfo);
JUBILANT_OSTREAM_FORMATTER(ModelUserInfo);
JUBILANT_OSTREAM_FORMATTER(ModelMachineInfo);
JUBILANT_OSTREAM_FORMATTER(SecretBackendInfo);
JUBILANT_OSTREAM_FORMATTER(SupportedFeature);
JUBILANT_OSTREAM_FORMATTER(ModelInfo);

/// fmt::format("{}", value) for the types of <jubilant/secrettypes.hpp>, same text as operator<<.
JUBILANT_OSTREAM_FORMATTER(SecretURI);
JUBILANT_OSTREAM_FORMATTER(Access);
JUBILANT_OSTREAM_FORMATTER(Revision);
JUBILANT_OSTREAM_FORMATTER(Secret);
JUBILANT_OSTREAM_FORMATTER(RevealedSecret);

/// fmt::format("{}", value) for the types of <jubilant/unittypes.hpp>, same text as operator<<.
JUBILANT_OSTREAM_FORMATTER(UnitRelationData);
JUBILANT_OSTREAM_FORMATTER(RelationData);
JUBILANT_OSTREAM_FORMATTER(UnitInfo);

/// fmt::format("{}", value) for the types of <jubilant/value.hpp>, same text as operator<<.
JUBILANT_OSTREAM_FORMATTER(Value);

#undef JUBILANT_OSTREAM_FORMATTER

/// fmt::format("{}", task) prints to_string(task); string format specs (width, alignment) apply.
template <>
struct fmt::formatter<jubilant::Task> : fmt::formatter<std::string_view> {
    /// Formats to_string(task) with the parsed string specs.
    template <class FormatContext>
    auto format(const jubilant::Task& task, FormatContext& ctx) const {
        return fmt::formatter<std::string_view>::format(jubilant::to_string(task), ctx);
    }
};

/// fmt::format("{}", version) prints to_string(version); string format specs (width, alignment) apply.
template <>
struct fmt::formatter<jubilant::Version> : fmt::formatter<std::string_view> {
    /// Formats to_string(version) with the parsed string specs.
    template <class FormatContext>
    auto format(const jubilant::Version& version, FormatContext& ctx) const {
        return fmt::formatter<std::string_view>::format(jubilant::to_string(version), ctx);
    }
};
