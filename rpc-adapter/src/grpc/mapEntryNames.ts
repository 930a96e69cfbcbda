import type * as protoLoader from '@grpc/proto-loader';
import * as descriptor from 'protobufjs/ext/descriptor';

interface MessageDescriptor {
  name: string;
  field?: Array<{ typeName?: string }>;
  nestedType?: MessageDescriptor[];
  options?: { mapEntry?: boolean };
}

/**
 * protobufjs (under @grpc/proto-loader) names a map field's implicit entry message after the
 * field (`Statuses`) instead of protoc's `StatusesEntry`; reflection clients built on the Go or
 * C++ protobuf runtime (grpcurl) then reject the whole file ("incorrect implicit map entry name"),
 * e.g. grpc.health.v1's `HealthListResponse.statuses`. This renames such entries, and the fields
 * that point at them, in every file descriptor of `definition`, in place.
 */
export function fixMapEntryNames(definition: protoLoader.PackageDefinition): protoLoader.PackageDefinition {
  const fixed = new Map<Buffer, Buffer>();
  for (const type of Object.values(definition)) {
    const files = (type as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos;
    if (!Array.isArray(files)) continue;
    files.forEach((bytes, i) => {
      let patched = fixed.get(bytes);
      if (!patched) {
        const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as { messageType?: MessageDescriptor[] };
        for (const message of file.messageType ?? []) renameEntries(message);
        patched = Buffer.from(descriptor.FileDescriptorProto.encode(file as never).finish());
        fixed.set(bytes, patched);
      }
      files[i] = patched;
    });
  }
  return definition;
}

function renameEntries(message: MessageDescriptor): void {
  for (const nested of message.nestedType ?? []) {
    if (nested.options?.mapEntry && !nested.name.endsWith('Entry')) {
      const old = nested.name;
      nested.name = `${old}Entry`;
      for (const field of message.field ?? []) {
        if (field.typeName === old) field.typeName = nested.name;
      }
    }
    renameEntries(nested);
  }
}
