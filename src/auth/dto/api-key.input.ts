import { Field, InputType } from '@nestjs/graphql';
import { Role } from '../roles';

@InputType({ description: 'A new API key.' })
export class ApiKeyInput {
  @Field({ description: 'Unique name: 1-100 letters, digits or . _ : @ -.' })
  name: string;

  @Field(() => Role, { description: 'What the key may do.' })
  role: Role;

  @Field(() => [String], { nullable: true, description: 'DISCOVERY keys (required there): source patterns such as `aws:*` or `k8s:prod-eu`.' })
  sources?: string[];
}
