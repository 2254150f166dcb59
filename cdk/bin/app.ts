/**
 * CDK app entry point (`cdk.json`: `node cdk/bin/app.ts`, run by Node 24 with type stripping).
 * It only reads the stage config from context and instantiates the stack.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/build-app.ts';

buildApp(new App()).synth();
