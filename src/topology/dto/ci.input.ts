import { Field, Float, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import { Attributes, JSONObjectScalar } from '../../common/graphql/json-object.scalar';
import {
  IsAttributes,
  IsCiKey,
  IsText,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TAGS,
  MAX_TEXT_LENGTH,
} from '../../common/validation/text-rules';
import { BUSINESS_KINDS, CIKind, CriticalityTier } from '../topology.vocabulary';

/** Rejects a value set on an input whose kind cannot carry it. */
function OnlyForKinds(kinds: ReadonlySet<CIKind>, what: string) {
  return function (object: object, propertyName: string) {
    registerDecorator({
      name: 'onlyForKinds',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          value === null || value === undefined || kinds.has((args.object as CIInput).kind),
        defaultMessage: (args: ValidationArguments) =>
          `can only be set on ${what}, not on a ${(args.object as CIInput).kind}`,
      },
    });
  };
}

/** Most identifiers one CI input may carry. */
export const MAX_IDENTIFIERS = 20;

const GROUP_KINDS: ReadonlySet<CIKind> = new Set([CIKind.REDUNDANCY_GROUP]);

@InputType({ description: 'A configuration item to create or update. Fields left out keep their value; null clears them.' })
export class CIInput {
  @Field({ description: 'Stable identity chosen by the writer, e.g. `bf:online-payments`. 1-256 characters, no whitespace.' })
  @IsCiKey()
  key: string;

  @Field(() => CIKind, { description: 'What the item is.' })
  @IsEnum(CIKind, { message: 'must be one of the CIKind values' })
  kind: CIKind;

  @Field(() => String, { nullable: true, description: 'Display name; defaults to the key when a CI is created without one.' })
  @IsOptional()
  @IsText(MAX_NAME_LENGTH)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'What it is and does, in words.' })
  @IsOptional()
  @IsText(MAX_TEXT_LENGTH)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Owning team.' })
  @IsOptional()
  @IsText(MAX_LABEL_LENGTH)
  owner?: string | null;

  @Field(() => String, { nullable: true, description: 'Environment, e.g. production or staging.' })
  @IsOptional()
  @IsText(MAX_LABEL_LENGTH)
  environment?: string | null;

  @Field(() => [String], { nullable: true, description: `Free labels (at most ${MAX_TAGS}); stored de-duplicated and sorted.` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsText(MAX_LABEL_LENGTH, { each: true })
  tags?: string[] | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Free key/value attributes; values are strings, numbers, booleans or lists of those.' })
  @IsOptional()
  @IsAttributes()
  attributes?: Attributes | null;

  @Field(() => CriticalityTier, { nullable: true, description: 'Business functions and services only: how critical it is.' })
  @IsOptional()
  @IsEnum(CriticalityTier)
  @OnlyForKinds(BUSINESS_KINDS, 'business functions and business services')
  criticality?: CriticalityTier | null;

  @Field(() => Float, { nullable: true, description: 'Business functions and services only: revenue lost per hour of outage.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0, { message: 'must not be negative' })
  @Max(1e12)
  @OnlyForKinds(BUSINESS_KINDS, 'business functions and business services')
  revenuePerHour?: number | null;

  @Field(() => Int, { nullable: true, description: 'Business functions and services only: users affected by an outage.' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must not be negative' })
  @OnlyForKinds(BUSINESS_KINDS, 'business functions and business services')
  usersAffected?: number | null;

  @Field(() => Int, { nullable: true, description: 'Redundancy groups only (required there): how many members must be up.' })
  @ValidateIf((o: CIInput) => o.kind === CIKind.REDUNDANCY_GROUP || (o.minHealthy !== undefined && o.minHealthy !== null))
  @IsInt({ message: 'is required for a REDUNDANCY_GROUP and must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(10_000)
  @OnlyForKinds(GROUP_KINDS, 'redundancy groups')
  minHealthy?: number | null;

  @Field(() => [String], {
    nullable: true,
    description: `Discovery syncs only (pushSyncBatch): other names of the same thing, e.g. \`arn:aws:ec2:...\`, \`k8s-uid:...\`, \`hostname:web-01\` (at most ${MAX_IDENTIFIERS}). A new key whose identifier matches a CI of the same kind names that CI (the key becomes an alias).`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_IDENTIFIERS)
  @IsCiKey({ each: true })
  identifiers?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Optimistic concurrency: the version the writer last read; a mismatch is a CONFLICT.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}
