/** The class view bound to the page's lesson store (the lessons chunk's one per app). */
import { useAppStoreApi } from '../../StoreContext';
import { lessonsFor } from '../chunk';
import { ClassView } from './ClassView';

export function ClassViewHost() {
  const app = useAppStoreApi();
  return <ClassView lessons={lessonsFor(app).store} />;
}
